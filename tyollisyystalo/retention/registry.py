"""What the eraser knows about the models the table names: parents, order and anonymisers."""

from __future__ import annotations

# Models bound to a parent record take its client, owner organisation and category; the value
# is the lookup path to that parent (the owner and category are looked up through it).
PARENT: dict[str, str] = {
    "cases.CaseEvent": "case__",
    "cases.CaseDeadline": "case__",
    "cases.ConsultationItem": "case__",
    "cases.FollowUpTask": "item__case__",
    "clients.TeamMembership": "case__",
    "plans.PlanVersion": "plan__",
    "plans.PlanAcknowledgement": "version__plan__",
    "plans.PlanParty": "version__plan__",
    "plans.PlanComment": "version__plan__",
    "coaching.CoachingEvent": "period__",
    "messaging.ThreadMember": "thread__",
    "messaging.Message": "thread__",
    "messaging.MessageRead": "message__thread__",
    "appointments.MoveRequest": "appointment__",
    "appointments.Reminder": "appointment__",
}

# Client records with their own client, owner organisation and category (ClientRecord).
ROOT_MODELS: tuple[str, ...] = (
    "clients.ClientEntry",
    "cases.Case",
    "plans.Plan",
    "referrals.Referral",
    "instruments.InstrumentResponse",
    "instruments.InstrumentSuggestion",
    "rules.ClientRuleFacts",
    "segments.SegmentSuggestion",
    "worktrials.WorkTrialFeedback",
    "coaching_modules.CoachingModule",
    "coaching_modules.ModuleAssessment",
    "coaching_modules.ModuleChoice",
    # A link names its own client, owner and category (its path's, or its subject's).
    "worktrials.FeedbackLink",
    "coaching.CoachingPeriod",
    "coaching.CoachingFormAnswer",
    "coaching.Placement",
    "coaching.SupportContact",
    "coaching.PlacementFeedback",
    # A survey invitation is its path's or placement's (the answers are not client data).
    "surveys.Invitation",
    "messaging.Thread",
    "documents.Document",
    "appointments.Appointment",
    # A work group member's employment, trainings and hours (issue 17).
    "subcontracting.Member",
    "subcontracting.Training",
    "subcontracting.HourEntry",
)

# Deletion order: every model before the models it points to with PROTECT.
ERASE_ORDER: tuple[str, ...] = (
    "segments.SegmentSuggestion",
    "subcontracting.HourEntry",
    "subcontracting.Training",
    "subcontracting.Member",
    "appointments.Reminder",
    "appointments.MoveRequest",
    "appointments.Appointment",
    "messaging.MessageRead",
    "messaging.Message",
    "messaging.ThreadMember",
    "messaging.Thread",
    "documents.Document",
    "coaching_modules.ModuleChoice",
    "coaching_modules.ModuleAssessment",
    "coaching_modules.CoachingModule",
    "coaching.PlacementFeedback",
    "coaching.CoachingFormAnswer",
    "coaching.Placement",
    "coaching.SupportContact",
    "coaching.CoachingEvent",
    "coaching.CoachingPeriod",
    "cases.FollowUpTask",
    "cases.ConsultationItem",
    "worktrials.WorkTrialFeedback",
    "worktrials.FeedbackLink",
    "surveys.Invitation",
    "plans.PlanAcknowledgement",
    "plans.PlanParty",
    "plans.PlanComment",
    "plans.PlanVersion",
    "plans.Plan",
    "referrals.Referral",
    "cases.CaseDeadline",
    "cases.CaseEvent",
    "clients.TeamMembership",
    "cases.Case",
    "instruments.InstrumentSuggestion",
    "instruments.InstrumentResponse",
    "clients.ClientEntry",
    "rules.ClientRuleFacts",
)

# Models the product can anonymise in place (the others can only be deleted or kept).
ANONYMISABLE: frozenset[str] = frozenset(
    {
        "clients.Client",
        "clients.ClientIdentity",
        "contact_requests.ContactRequest",
        "contact_requests.ContactRequestEvent",
    }
)

# Append-only HMAC chains erased only as a prefix behind a signed anchor (ADR 0024): the
# ``erase_prefix`` action, and no other erasing action, applies to them.
PREFIX_ERASABLE: frozenset[str] = frozenset({"audit.AccessLogEntry"})

# Models that hold client data and so must each be in some class (checked by a test).
RECORD_APPS: tuple[str, ...] = (
    "clients",
    "consents",
    "cases",
    "plans",
    "referrals",
    "instruments",
    "rules",
    "worktrials",
    "coaching",
    "contact_requests",
    "selfservice",
    "retention",
    "coaching_modules",
    "surveys",
    "messaging",
    "documents",
    "appointments",
    "subcontracting",
    "segments",
)
# Models in those apps that hold no client data (checked by the same test).
# Peer coaches are paid people, not clients; a session's link to a period goes with the period
# (SET_NULL) and is shown only through the gatekeeper (class "peer_coach_fees").
NOT_CLIENT_DATA: frozenset[str] = frozenset(
    {
        "retention.ErasureRecord",
        "coaching_modules.PeerCoach",
        "coaching_modules.PeerSession",
        # Anonymous survey answers: nothing in them names or links back to a client.
        "surveys.Answer",
        "surveys.AnswerValue",
        # A staff member's calendar address: the token's hash, no client.
        "appointments.CalendarFeed",
        # The subcontracting model's business records: groups, customers (a private person's
        # name and address are consumer data, not client data), agreements, orders and
        # invoices. Kept by the accounting act (class "invoices"), not by the client pass.
        "subcontracting.WorkGroup",
        "subcontracting.Customer",
        "subcontracting.Agreement",
        "subcontracting.Order",
        "subcontracting.OrderEvent",
        "subcontracting.OrderLine",
        "subcontracting.Seller",
        "subcontracting.Invoice",
        "subcontracting.InvoiceLine",
        # Segments (issue 19): versions, segments and their process steps are the
        # organisation's guidance, no client in them. An analysis keeps its data set as rows of
        # coarse features with no identifier, no date and no free text, linked to no client;
        # it is the analysts' working material (docs/legal-sources.md, 552/2019 § 37).
        "segments.SegmentAnalysis",
        "segments.SegmentVersion",
        "segments.Segment",
        "segments.ProcessStep",
    }
)
