"""The console pages and which of them each role may use (shared by the navigation
tests: the rendered top bar and the real-browser crawler)."""

CONSOLE = {
    "/operator/",
    "/board/",
    "/requests/",
    "/v/",
    "/dashboard/",
    "/",
    "/training/",
    "/training/me/",
    "/posters/",
    "/privacy/subject/",
    "/admin/",
    "/notices/",
    "/scams/",
    "/guides/staff/",
    "/campaigns/",
}
SECRETARY = CONSOLE - {"/v/", "/training/me/"}
# Operators keep the admin (to look up teams and volunteers, teams.roles) and the
# pages of the office; data-subject requests, notices, scams and campaigns are the
# secretary's (team leaders warn villages only where their commune allows it). Editing
# the guides (national content, versioned) is the secretary's too.
OPERATOR = SECRETARY - {
    "/privacy/subject/", "/notices/", "/scams/", "/guides/staff/", "/campaigns/",
}  # fmt: skip
LEADER = {"/v/", "/dashboard/", "/training/me/", "/notices/"}
VOLUNTEER = {"/v/", "/training/me/"}
