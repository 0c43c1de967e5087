from projects.models.project import Membership, Profile, Project

__all__ = ["Membership", "Profile", "Project"]
