"""One writer process for test_key_concurrency: creates requirements in the database DATABASE_URL names.

python tests/requirements/key_writer.py setup              migrate, create the project KEYS
python tests/requirements/key_writer.py write COUNT GO     print "ready", wait for the file GO, create COUNT
                                                           requirements, print the first and last start times
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_CODE = "KEYS"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from projects.models import Project
    from requirements.services import requirement_create

    if argv[0] == "setup":
        call_command("migrate", verbosity=0)
        Project.objects.create(code=PROJECT_CODE, name="Keys under load")
        return 0

    count, go = int(argv[1]), Path(argv[2])
    project = Project.objects.get(code=PROJECT_CODE)  # also opens the connection before the start
    print("ready", flush=True)
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            return 2
        time.sleep(0.001)
    starts = []
    for i in range(count):
        starts.append(time.time())
        requirement_create(project=project, title=f"Writer {os.getpid()}, #{i + 1}", statement="Created under load.")
    print(json.dumps({"first": starts[0], "last": starts[-1]}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
