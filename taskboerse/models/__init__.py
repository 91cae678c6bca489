"""All models, imported here so Alembic and the app see the whole schema."""

from taskboerse.models.application import (
    Application,
    ApplicationStatus,
    EndorsedSkill,
    Invitation,
    Reference,
)
from taskboerse.models.background import (
    AlertFrequency,
    Channel,
    JobFailure,
    NotificationCategory,
    NotificationPreference,
    SavedSearch,
    SavedSearchKind,
    SentReminder,
    TaskAlert,
)
from taskboerse.models.caseload import (
    AccessAction,
    AccessLogEntry,
    AccessPurpose,
    CaseAssignment,
    CaseNote,
    CaseOutcome,
    Consent,
    OutcomeStatus,
)
from taskboerse.models.company import Company
from taskboerse.models.embedding import Embedding
from taskboerse.models.mentoring import (
    Answer,
    MeetingNote,
    MentorNeed,
    MentorNeedSkill,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipFeedback,
    MentorshipMeeting,
    MentorshipStatus,
    MentorSkill,
    NeedStatus,
    Outcome,
    Question,
    RequestStatus,
)
from taskboerse.models.message import Message, ThreadRead
from taskboerse.models.notification import Notification, NotificationKind, OutboxMessage
from taskboerse.models.placement import (
    HOURS_FORMS,
    Placement,
    PlacementHours,
    PlacementStatus,
    TaskForm,
)
from taskboerse.models.profile import DegreeLevel, JobseekerProfile, ProfileSkill
from taskboerse.models.search import TaskSearch
from taskboerse.models.skill import Skill
from taskboerse.models.task import Task, TaskSkill, TaskStatus
from taskboerse.models.token import ApiToken
from taskboerse.models.user import MENTOR_PROGRAMME_ROLES, LoginSession, Role, User

__all__ = [
    "MENTOR_PROGRAMME_ROLES",
    "Answer",
    "MeetingNote",
    "MentorNeed",
    "MentorNeedSkill",
    "MentorProfile",
    "MentorRequest",
    "Mentorship",
    "MentorshipFeedback",
    "MentorshipMeeting",
    "MentorshipStatus",
    "MentorSkill",
    "NeedStatus",
    "Outcome",
    "Question",
    "RequestStatus",
    "HOURS_FORMS",
    "Placement",
    "PlacementHours",
    "PlacementStatus",
    "TaskForm",
    "AlertFrequency",
    "Channel",
    "JobFailure",
    "NotificationCategory",
    "NotificationPreference",
    "SavedSearch",
    "SavedSearchKind",
    "SentReminder",
    "TaskAlert",
    "Message",
    "ThreadRead",
    "AccessAction",
    "AccessLogEntry",
    "AccessPurpose",
    "CaseAssignment",
    "CaseNote",
    "CaseOutcome",
    "Consent",
    "OutcomeStatus",
    "ApiToken",
    "Application",
    "ApplicationStatus",
    "Company",
    "DegreeLevel",
    "Embedding",
    "EndorsedSkill",
    "Invitation",
    "JobseekerProfile",
    "LoginSession",
    "Notification",
    "NotificationKind",
    "OutboxMessage",
    "ProfileSkill",
    "Reference",
    "Role",
    "Skill",
    "Task",
    "TaskSearch",
    "TaskSkill",
    "TaskStatus",
    "User",
]
