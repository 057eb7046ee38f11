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
    "/campaigns/",
}
SECRETARY = CONSOLE - {"/v/", "/training/me/"}
# Operators keep the admin (to look up teams and volunteers, teams.roles) and the
# pages of the office; data-subject requests, notices and campaigns are the secretary's.
OPERATOR = SECRETARY - {"/privacy/subject/", "/notices/", "/campaigns/"}
LEADER = {"/v/", "/dashboard/", "/training/me/", "/notices/"}
VOLUNTEER = {"/v/", "/training/me/"}
