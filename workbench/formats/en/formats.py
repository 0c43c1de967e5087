# English pages keep Django's long forms ("June 30, 2027") but use ISO dates in tables and history,
# the form project teams in China read and type.
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y"]
