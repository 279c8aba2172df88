## Paani — English messages. Every key here must also exist in ../hi/main.ftl.

app-name = Paani
app-tagline = Operation & maintenance for village water committees
skip-to-content = Skip to content
lang-name-en = English
lang-name-hi = हिन्दी

## Navigation
nav-label = Main menu
nav-home = Home
nav-places = Places
nav-admin-users = Users
nav-audit = Audit log
nav-account = My account
pager-label = Pages
pager-prev = Previous
pager-next = Next
pager-status = Page { $page } of { $pages } ({ $total } in all)

## Roles and levels
role-admin = Administrator
role-district_officer = District officer
role-block_engineer = Block engineer
role-secretary = Panchayat secretary
role-member = Paani Samiti member
role-lab_analyst = Laboratory analyst
level-state = State
level-district = District
level-block = Block
level-gp = Gram panchayat
level-village = Village
lgd-code = LGD code

## Common actions and fields
action-login = Log in
action-logout = Log out
action-save = Save
action-cancel = Cancel
action-edit = Edit
action-filter = Show
action-deactivate = Deactivate
action-activate = Reactivate
action-import = Import
action-change-password = Change password
filter-search = Search
filter-any = Any
filter-from = From
filter-to = To
status-active = Active
status-inactive = Deactivated
status-all = All
list-empty = Nothing to show.
field-username = Username
field-password = Password
field-current-password = Current password
field-new-password = New password
field-confirm-password = New password again
field-display-name = Name
field-role = Role
field-phone = Mobile number
field-email = E-mail
field-lang = Language
field-status = Status
field-name = Name (English)
field-name-hi = Name (Hindi)
field-level = Level
field-place = Place
field-place-lgd = LGD code of the place they work in
field-parent-lgd = LGD code of the parent place
field-csv-file = CSV file

## Validation messages
form-error-summary = { $count ->
    [one] This form has a problem; nothing is saved yet:
   *[other] This form has { $count } problems; nothing is saved yet:
}
field-required = This is required.
field-too-long = At most { $max } characters.
field-max-chars = At most { $max } characters.
field-too-long-count = At most { $max } characters; this has { $count }. Shorten it and send again.
field-control-chars = Contains a hidden control character that cannot be saved. Remove it (retype the text) and send again.
field-one-line = Write this on one line (no line breaks or tabs).
field-too-many = At most { $max } entries.
field-entry-too-long = Each entry at most { $max } characters.
field-invalid-choice = Choose one of the options.
phone-invalid = Enter a 10-digit Indian mobile number.
email-invalid = Enter a valid e-mail address.
password-too-short = The password needs at least { $min } characters.
password-too-long = The password is too long.
password-mismatch = The two passwords are not the same.
password-current-wrong = The current password is not right.

## Home
home-title = Home
home-welcome = Namaste, { $name }
home-your-area = Your area
home-next-steps = What you can do
home-intro-admin = You manage places and user accounts for everyone.
home-intro-district_officer = You oversee the blocks and gram panchayats of your district.
home-intro-block_engineer = You review the gram panchayats of your block.
home-intro-secretary = You keep your gram panchayat's water records.
home-intro-member = You log the maintenance and breakdowns of your village's water scheme.
home-intro-lab_analyst = You enter the water-testing laboratory's results for the sampling points of your district.

## Log-in and account
login-title = Log in
login-failed = Wrong username or password.
login-throttled = Too many failed attempts. You can try again at { $time } (in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}).
login-help = Forgot your password? Ask your block office or administrator to reset it.
account-title = My account
account-language = Language
account-password = Password
account-password-help = Changing your password logs you out on every other phone and computer.
flash-logged-out = You have logged out.
flash-password-changed = Your password is changed. Other sessions have been logged out.
login-keep = Keep me logged in on this phone ({ $days } days)
account-sessions = Where you are logged in
account-sessions-help = A phone you lost, sold or shared: log it out here.
session-this-device = this phone
session-unknown-device = Unknown browser
session-started = Logged in
session-last-used = last used
session-kept-until = Stays logged in until
session-not-kept = Logs out after a while without use.
action-end-session = Log out there
action-end-other-sessions = Log out everywhere else
flash-session-ended-one = That phone or computer is logged out.
flash-sessions-ended-others = You are logged out everywhere else.
flash-session-ended = You were logged out. Please log in again.
flash-session-ended-kept = You were logged out before your form was sent. Log in again: what you entered is kept.
flash-draft-discarded = The form that was kept has been thrown away.
resume-title = Send your form now?
resume-intro = You were logged out before this form was sent, so nothing was saved yet. This is what you entered:
resume-files = Photos and files were not kept: open the form again to add them.
action-send-now = Send now
action-open-form = Open the form again
action-discard-draft = Throw it away
flash-language-changed = Your language is saved.

## Users (admin)
users-title = Users
users-search-hint = Name, username, phone or e-mail
user-new-title = Add a user
user-edit-title = Edit user
user-password-title = Reset password
user-password-reset-help = The user is logged out everywhere and must use the new password.
user-deactivate-title = Deactivate user
user-deactivate-question = Deactivate { $name }? They will be logged out and cannot log in until reactivated.
user-username-hint = 3 to 40 characters: small letters, digits, dot, dash or underscore.
user-place-hint = Secretary and member: the gram panchayat. Block engineer: the block. District officer: the district (or state). Laboratory analyst: the district. Administrator: leave empty.
user-username-invalid = Use 3 to 40 small letters, digits, dots, dashes or underscores.
user-username-taken = This username is already taken.
user-admin-no-place = An administrator works everywhere: leave the place empty.
user-place-missing = No active place with this LGD code at the level this role needs ({ $level }).
user-place-inactive = This place is deactivated.
user-cannot-deactivate-self = You cannot deactivate your own account.
user-role-choose = Choose a role…
user-role-required = Choose the user's role.
field-place-search = Place: its name (Hindi or English) or LGD code
user-place-none-named = No active place with that name at the level this role needs. Try another spelling or the LGD code.
user-place-choose = Several places match that name: pick one below and save again.
user-place-pick = Which place?
user-place-ambiguous = A state and a district both have this LGD code: choose the level below.
user-cannot-change-own-role = You cannot change your own role.
user-last-admin = This is the last active administrator: make someone else an administrator first.
field-place-level = Level of that place
user-place-level-auto = As the role needs
flash-user-created = The user is added.
flash-user-saved = The user is saved.
flash-user-deactivated = The user is deactivated and logged out.
flash-user-activated = The user is active again.
flash-password-reset = The password is reset and the user is logged out everywhere.

## Places
places-title = Places
places-search-hint = Name or LGD code
place-title = Place
place-new-title = Add a place
place-edit-title = Edit place
place-deactivate-title = Deactivate place
place-deactivate-question = Deactivate { $name }? It stays in the records but is no longer offered for new work.
place-ancestry = Where this place is
place-add-child = Add a { $level }
place-parent-hint = Districts belong to a state, blocks to a district, gram panchayats to a block and villages to a gram panchayat. A state has no parent.
place-level-invalid = Choose a level: state, district, block, gram panchayat or village.
place-lgd-invalid = An LGD code is a number (up to 12 digits).
place-lgd-taken = Another place at this level already has this LGD code.
place-state-no-parent = A state has no parent: leave this empty.
place-parent-missing = No place with this LGD code at the parent level.
flash-place-saved = The place is saved.
flash-place-deactivated = The place is deactivated.
flash-place-activated = The place is active again.
places-import-title = Import places from CSV
places-import-help = One place per line: LGD code, name, Hindi name (optional), parent's LGD code (empty for a state). A first line of column names is skipped. If any line is wrong, nothing is imported; a place whose LGD code already exists is updated.
import-dry-run = Only check the file, import nothing
import-checked = File checked: { $rows ->
        [one] { $rows } row is fine
       *[other] { $rows } rows are fine
    } ({ $created } new, { $updated } to update). Nothing was imported yet.
import-done = Imported { $rows ->
        [one] { $rows } row
       *[other] { $rows } rows
    }: { $created } new, { $updated } updated.
import-failed = Nothing was imported. Correct these lines and try again:
import-line = Line
import-field = Field
import-problem = Problem
import-row-unreadable = This line cannot be read as CSV.
import-row-columns = Expected 2 to 4 columns: LGD code, name, Hindi name, parent LGD code.
import-too-many-rows = Too many rows: at most { $max } per file.
import-empty = The file has no rows.
import-duplicate-in-file = This LGD code appears twice in the file.

## Audit log
audit-title = Audit log
audit-when = When
audit-who = Who
audit-action = Action
audit-entity = Record
audit-summary = What
audit-entity-place = Place
audit-entity-user = User
audit-entity-session = Session
audit-entity-api_token = API token
audit-action-create = Created
audit-action-update = Changed
audit-action-deactivate = Deactivated
audit-action-activate = Reactivated
audit-action-import = Imported
audit-action-login = Logged in
audit-action-logout = Logged out
audit-action-login_failed = Failed log-in
audit-action-password_change = Changed own password
audit-action-password_reset = Password reset
audit-action-token_issue = API token issued
audit-action-token_revoke = API token revoked

# audit details
# What an audit row says, in the reader's language. Arguments: what a person typed (names,
# reasons, titles) and identifiers (numbers of receipts, connections, breakdowns) as they
# are; { $role }, { $level }, { $status }… already in the reader's language.
audit-detail-login = logged in
audit-detail-login-kept = logged in (kept on this device)
audit-detail-login-failed = failed log-in
audit-detail-logout = logged out
audit-detail-session-ended = Ended session { $session } from the account page
audit-detail-sessions-ended = { $count ->
    [one] Ended 1 other session from the account page
   *[other] Ended { $count } other sessions from the account page
}
audit-detail-email-pref = E-mail reminders: { $pref }
audit-detail-language = Language set to { $lang }
audit-detail-password-set = { $count ->
    [one] Password set; 1 session ended
   *[other] Password set; { $count } sessions ended
}
audit-detail-token-issued = API token issued
audit-detail-token-revoked = API token revoked
audit-detail-user = { $username } ({ $role })
audit-detail-user-name = { $username }
audit-detail-user-cli = { $username } ({ $role }) from the command line
audit-detail-user-name-cli = { $username } from the command line
audit-detail-place = { $level } { $name } (LGD { $lgd })
audit-detail-place-name = { $level } { $name }
audit-detail-place-import = { $level }: { $rows } rows, { $created } added, { $updated } changed
audit-detail-import = { $rows } rows: { $created } added, { $updated } changed, { $unchanged } unchanged
audit-detail-scheme = { $code } { $name }
audit-detail-scheme-status = { $code } is now { $status }: { $reason }
audit-detail-asset = { $name } ({ $kind })
audit-detail-asset-status = { $name } ({ $kind }) is now { $status }
audit-detail-asset-replaced = { $name } ({ $kind }) replaced by asset { $new }
audit-detail-asset-retired = { $name } ({ $kind }): { $reason }
audit-detail-plan = Plan: { $title }
audit-detail-plans-from-templates = { $count ->
    [one] 1 usual plan added for { $what }
   *[other] { $count } usual plans added for { $what }
}
audit-detail-task-done = { $title }, done on { $day }{ $photos ->
    [0] {""}
    [one] , 1 photo
   *[other] , { $photos } photos
}
audit-detail-task-done-out-of-range = { $title }, done on { $day }, reading out of range{ $photos ->
    [0] {""}
    [one] , 1 photo
   *[other] , { $photos } photos
}
audit-detail-task-skipped = Reason: { $reason }
audit-detail-work = { $asset }: { $title }
audit-detail-breakdown = { $no }: { $category }
audit-detail-breakdown-moved = { $no }: { $from } → { $to }
audit-detail-breakdown-visit = { $no }: technical visit asked for
audit-detail-breakdown-level = { $no }: escalation level changed
audit-detail-household = Connection { $no }, { $name }
audit-detail-tariff = Tariff from { $month }
audit-detail-demands-raised = { $count ->
    [one] 1 demand for { $month }
   *[other] { $count } demands for { $month }
}
audit-detail-demands-cancelled = { $count ->
    [one] 1 demand for { $month } cancelled: { $reason }
   *[other] { $count } demands for { $month } cancelled: { $reason }
}
audit-detail-late-fees = { $count ->
    [one] Late fee on 1 demand
   *[other] Late fee on { $count } demands
}
audit-detail-demands-automatic-on = Automatic demands on for { $gp }
audit-detail-demands-automatic-off = Automatic demands off for { $gp }
audit-detail-payment = Receipt { $no }, { $amount }
audit-detail-payment-cancelled = Receipt { $no }, { $amount } cancelled: { $reason }
audit-detail-cashbook-entry = { $kind }: { $head }, { $amount }
audit-detail-cashbook-cancel = { $kind }: { $head }, { $amount } cancelled: { $reason }
audit-detail-cashbook-work = { $kind }: { $head }, { $amount } for { $notes }
audit-detail-committee = { $name }
audit-detail-committee-member-added = { $committee }: { $name } added
audit-detail-committee-term-ended = { $committee }: a member's term ended
audit-detail-committee-reconstituted = { $count ->
    [one] { $committee } re-constituted: 1 term ended
   *[other] { $committee } re-constituted: { $count } terms ended
}
audit-detail-meeting = { $committee }, meeting on { $day }
audit-detail-meeting-attendance = Attendance recorded
audit-detail-meeting-minutes = Minutes written
audit-detail-meeting-approved = Minutes approved
audit-detail-meeting-addendum = Addendum added to the minutes
audit-detail-meeting-photos = { $count ->
    [one] 1 photo of the attendance register
   *[other] { $count } photos of the attendance register
}
audit-detail-action-item = { $description }
audit-detail-action-item-status = { $description }: { $status }

## API documentation
api-docs-title = API documentation
api-docs-bearer = Needs an API token: Authorization: Bearer <token>
api-docs-params = Parameters
api-docs-body = Request body
api-docs-responses = Responses
api-docs-index = All operations
api-docs-schemas = Data shapes

## Errors
error-status = Error { $status }
error-go-home = Go to the home page
error-retry-minutes = Try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
error-not-found = Not found
error-forbidden = You are not allowed to do this
error-unauthorized = Please log in
error-csrf = This form has expired. Go back, reload the page and try again.
error-too-many = Too many attempts
error-bad-request = The request could not be understood
error-validation = Some fields need correcting
error-conflict = This conflicts with existing records
error-internal = Something went wrong on our side. Please try again later.
error-too-large = The upload is too large.
error-unsupported-type = This kind of content is not accepted.
error-bad-json = The JSON body could not be read.
error-bad-query = A search or filter value is not valid.
error-bad-upload = The upload could not be read.

## Schemes and assets
nav-schemes = Schemes
action-back = Back
action-export-csv = Download CSV
action-replace = Replace
action-retire = Retire
years-count = { $years ->
        [one] { $years } year
       *[other] { $years } years
    }
years-months = { $years } yr { $months } mo
field-reason = Why
field-notes = Notes
field-gp-lgd = LGD code of the gram panchayat
field-scheme-kind = Kind of scheme
field-source-kind = Water source
field-villages = Villages served
field-commissioned-on = Commissioned on
field-design-period = Design period (years)
field-design-population = Design population
field-planned-connections = Planned tap connections
field-imis-id = IMIS / state scheme id
field-operator-name = Operator
field-operator-phone = Operator's mobile
field-asset-kind = Kind of asset
field-asset-name = Name or tag
field-installed-on = Installed (or last replaced) on
field-expected-life = Expected life (years)
field-capacity = Capacity / size
field-unit = Unit
field-make = Make
field-model = Model
field-serial = Serial number
field-warranty-until = Warranty until
field-latitude = Latitude
field-longitude = Longitude
field-location = Location
field-replacement-cost = Replacement cost (₹)
field-bad-date = Write the date as DD-MM-YYYY.
field-date-in-future = This date is in the future.
field-bad-money = Write an amount in rupees, like 1500 or 1,500.50.
field-negative = This cannot be negative.
field-not-a-number = Write a number.
field-out-of-range = Write a number from { $min } to { $max }.
field-unknown = This field is not known.
field-not-text = Give this as text or a number.
schemes-title = Schemes
schemes-search-hint = Name, code, IMIS id or a village it serves
scheme-title = Scheme
scheme-new-title = Register a scheme
scheme-edit-title = Edit scheme
scheme-card-title = Scheme card (print)
scheme-card-printed = Printed on { $date } from Paani.
scheme-change-status = Change status
scheme-history = Status history
scheme-history-registered = Scheme registered
scheme-design-ends = design period ends { $date }
scheme-other-gp = another gram panchayat
scheme-outages-open = Not working while a breakdown that stopped the water is open:
scheme-hand-set = Operator's note
scheme-villages-hint = LGD codes of the villages, separated by commas; villages of other gram panchayats are allowed (multi-village schemes).
scheme-gp-not-yours = No active gram panchayat with this LGD code in your area.
scheme-gp-fixed = A scheme stays with its gram panchayat.
scheme-village-missing = No active village with LGD code { $code }.
scheme-status-unchanged = The scheme already has this status.
scheme-status-functional = Functional
scheme-status-partially_functional = Partially functional
scheme-status-non_functional = Not functional
scheme-status-under_repair = Under repair
scheme-status-decommissioned = Decommissioned
flash-scheme-saved = The scheme is saved.
flash-scheme-status-changed = The status is changed and kept in the history.
assets-title = Assets
assets-ended = Replaced and retired assets
asset-title = Asset
asset-new-title = Add an asset
asset-edit-title = Edit asset
asset-replace-title = Replace asset
asset-replace-help = { $name } will be kept in the records as replaced, linked to the new asset you enter here.
asset-retire-title = Retire asset
asset-retire-question = Retire { $name } without a replacement? It stays in the records as retired.
asset-life = Life
asset-age = Age
asset-end-of-life = End of expected life
asset-remaining-life = Life left
asset-overdue = Past its expected life
asset-life-hint = Leave empty to use the usual life of this kind of asset.
asset-unit-default = Usual unit
asset-warranty-active = under warranty
asset-warranty-over = warranty over
asset-ended-on = Ended on
asset-set-status = Condition
asset-lineage = Replacement history
asset-not-in-service = This asset was replaced or retired; it can no longer change.
asset-outside-india = This point is outside India.
asset-coordinates-pair = Give both latitude and longitude, or neither.
asset-warranty-before-install = The warranty cannot end before the installation.
asset-status-working = Working
asset-status-needs_attention = Needs attention
asset-status-failed = Failed
asset-status-replaced = Replaced
asset-status-retired = Retired
flash-asset-saved = The asset is saved.
flash-asset-replaced = The asset is replaced; the old one is kept in the history.
flash-asset-retired = The asset is retired.
lifecycle-title = Renewals due
lifecycle-window = Period
lifecycle-next-months = { $months ->
        [one] next month
       *[other] next { $months } months
    }
lifecycle-until = Assets whose expected life ends by { $date }, and those already past it.
lifecycle-budget = Indicative replacement budget
lifecycle-without-cost = { $count ->
        [one] { $count } of these has no replacement cost entered yet.
       *[other] { $count } of these have no replacement cost entered yet.
    }
lifecycle-schemes = Schemes whose design period ends in this period
schemes-import-title = Import schemes from CSV
assets-import-title = Import assets from CSV
import-help-named = The first line names the columns. If any line is wrong, nothing is imported. Rows that match what is stored already change nothing, so a file can be imported twice safely.
import-columns = Columns
import-checked-named = File checked: { $rows ->
        [one] { $rows } row
       *[other] { $rows } rows
    } ({ $created } new, { $updated } to update, { $unchanged } unchanged). Nothing was imported yet.
import-done-named = Imported { $rows ->
        [one] { $rows } row
       *[other] { $rows } rows
    }: { $created } new, { $updated } updated, { $unchanged } unchanged.
import-unknown-column = Unknown column "{ $column }".
import-missing-column = The column "{ $column }" is missing.
import-unknown-code = No such record in your area.
audit-entity-scheme = Scheme
audit-entity-asset = Asset
audit-action-status_change = Status changed
audit-action-replace = Replaced
audit-action-retire = Retired

## Maintenance
nav-tasks = My tasks
action-done = Done
tasks-title = My tasks
tasks-overdue = Overdue
tasks-today = Due now
tasks-week = This week
tasks-none = Nothing here.
task-title = Task
task-skip = Skip this task
task-not-open = This task is already done, skipped or cancelled.
task-state-upcoming = Upcoming
task-state-due = Due
task-state-overdue = Overdue
task-state-done = Done
task-state-skipped = Skipped
task-state-cancelled = Cancelled
every-day = { $n ->
        [one] every day
       *[other] every { $n } days
    }
every-week = { $n ->
        [one] every week
       *[other] every { $n } weeks
    }
every-month = { $n ->
        [one] every month
       *[other] every { $n } months
    }
every-year = { $n ->
        [one] every year
       *[other] every { $n } years
    }
every-window = once a year, { $start } to { $end }
plan-unit-day = days
plan-unit-week = weeks
plan-unit-month = months
plan-unit-year = years
plan-unit-window = a yearly window
work-done-on = Done on
work-done-by = Done by
work-done-by-hint = Names separated by commas; empty means you.
work-checklist = Checklist
work-range = Acceptable: { $min } to { $max }
work-cost = Cost (₹)
work-parts = Parts used
work-parts-hint = One per line: part | quantity
work-asset-unchanged = Leave as it is
work-reading-extra = More readings than the plan asks for.
work-reading-number = Write a number for { $name }.
work-reading-impossible = { $name } can only be between { $lowest } and { $highest }: check the value.
work-reading-below-lowest = { $name } cannot be below { $lowest }: check the value.
work-reading-above-highest = { $name } cannot be above { $highest }: check the value.
plan-reading-too-long = A reading's name may have at most { $name } characters and its unit { $unit }.
reading-out-of-range = out of range
register-title = Maintenance register
register-month = Work done in { $month }
register-work = Work
register-readings = Readings
compliance-title = Done on time
compliance-month = Month
compliance-due = Due
compliance-on-time = On time
plans-title = Maintenance plans
plans-apply-templates = Add the usual plans for every asset
plan-new-title = New maintenance plan
plan-edit-title = Edit maintenance plan
plan-asset = For
plan-whole-scheme = The whole scheme
plan-title-field = What to do
plan-every = How often
plan-start = First due on
plan-window = Yearly window (MM-DD to MM-DD)
plan-window-format = Write the window day as MM-DD, e.g. 05-25.
plan-checklist-hint = One item per line
# the capacity unit "count" (a number of things)
unit-count = count
plan-readings-example = Residual chlorine | mg/L | 0.2 | 1.0 | 0 | 20
plan-readings-hint = One per line: name | unit | normal from | normal to | lowest possible | highest possible (all but the name optional). Outside the normal range a reading is flagged; outside the possible range it is refused.
plan-reading-format = Write each reading as: name | unit | normal from | normal to | lowest possible | highest possible.
plan-reading-range = The numbers of a reading must go up: lowest possible ≤ normal from ≤ normal to ≤ highest possible.
plan-water-quality = Water-quality check
plan-responsible-user = Person responsible (username)
plan-responsible-role = Or a committee role
plan-responsible-unknown = No active user of this gram panchayat has this username.
plan-cost = Estimated cost (₹)
plan-instructions = Instructions
flash-plan-saved = The plan is saved and its tasks are planned.
flash-templates-applied = The usual plans are added and their tasks planned.
flash-task-done = Recorded. Thank you!
flash-task-done-out-of-range = Recorded. A reading is out of range: tell the secretary.
flash-task-skipped = The task is skipped.
audit-entity-plan = Maintenance plan
audit-entity-task = Task
audit-action-complete = Done
audit-action-skip = Skipped
register-print = Print (A4)
register-signature = Signature
register-signed-secretary = Member secretary:
register-signed-chair = Chairperson:
asset-suggested-plans = Usual maintenance for this kind of asset
asset-accept-plans = Add these plans
asset-adjust-plans-hint = You can change how often and who is responsible afterwards, on the scheme's maintenance register.
scheme-quality-alert = Water quality: a reading was out of range ({ $title }, { $date }). Check the water and tell the block engineer.
work-adhoc-title = Log work done
work-adhoc-hint = e.g. Replaced the gland packing
flash-work-logged = The work is recorded in the register.
compliance-3-months = Last 3 months
compliance-12-months = Last 12 months
audit-entity-work = Work done
work-photos = Photos
work-photos-hint = Up to three photos (JPEG or PNG, at most 5 MB each), e.g. before and after.
photo-too-many = At most { $max } photos.
photo-too-large = A photo is larger than { $max } MB.
photo-not-image = Only JPEG or PNG photos can be added.
photo-too-many-pixels = A photo may have at most { $max } megapixels and { $side } pixels on a side; take it again at a lower resolution or make it smaller.

## Breakdowns
nav-breakdowns = Breakdowns
breakdowns-title = Breakdowns
breakdown-title = Breakdown
breakdown-new-title = Report a breakdown
breakdown-report = Report
breakdown-open = Open
breakdown-escalated = Escalated
breakdown-category = What broke
breakdown-supply = Water supply
breakdown-description = What happened
breakdown-households = Households affected (about)
breakdown-started = When it started
breakdown-reporter = Reported by
breakdown-assigned = Repair by (name, phone)
breakdown-resolution = What was done
breakdown-note = Note (reason when rejecting or reopening)
breakdown-duplicate-of = Same as complaint number (for duplicates)
breakdown-next-step = Next step
breakdown-step-hint = Fill only what the step needs: who repairs (in progress), what was done (resolved), the reason (rejected, reopened), the other number (duplicate).
breakdown-timeline = Timeline
breakdown-comment = Comment
breakdown-due = Repair due { $date }
breakdown-hours-left = { $hours ->
        [one] { $hours } hour left
       *[other] { $hours } hours left
    }
breakdown-overdue-by = { $hours ->
        [one] { $hours } hour overdue
       *[other] { $hours } hours overdue
    }
breakdown-overdue-days = { $days ->
        [one] { $days } day overdue
       *[other] { $days } days overdue
    }
breakdown-days-left = { $days ->
        [one] { $days } day left
       *[other] { $days } days left
    }
breakdown-possible-duplicates = Possibly the same problem:
breakdown-bad-transition = This step is not possible from the breakdown's current state.
breakdown-unknown-number = No other breakdown of this GP has that number.
breakdown-number-taken = Two reports came at once; please try again.
breakdown-cat-pipeline = Pipeline leak or burst
breakdown-cat-pump_motor = Pump or motor failure
breakdown-cat-power = Power supply
breakdown-cat-source = Source dried or low yield
breakdown-cat-water_quality = Water quality / contamination
breakdown-cat-tank = Tank
breakdown-cat-valve = Valve
breakdown-cat-tap = Tap or connection
breakdown-cat-other = Other
breakdown-supply-stopped = Water stopped
breakdown-supply-partial = Partial supply
breakdown-supply-none = Supply not affected
breakdown-status-reported = Reported
breakdown-status-acknowledged = Acknowledged
breakdown-status-in_progress = Being repaired
breakdown-status-resolved = Resolved
breakdown-status-closed = Closed
breakdown-status-reopened = Reopened
breakdown-status-rejected = Rejected
breakdown-status-duplicate = Duplicate
breakdown-event-reported = Reported
breakdown-event-transition = Status
breakdown-event-comment = Comment
breakdown-event-escalated = Escalated
flash-breakdown-reported = The breakdown is reported.
flash-breakdown-updated = The breakdown is updated.
flash-comment-added = The comment is added.
flash-task-done-report = Recorded. The asset failed: report the breakdown here.
task-report-breakdown = Something broken? Report a breakdown
audit-entity-breakdown = Breakdown

## Breakdowns: public complaints, review, register
field-date-in-past = This date has passed; pick today or a later day.
breakdown-event-visit_requested = Technical visit requested
breakdown-event-level_changed = Escalation level changed
breakdown-source-app = in the app
breakdown-source-public = public complaint
breakdown-source-api = through the API
breakdown-visit = Technical visit on
breakdown-visit-note = Who goes, and what to look at (optional)
breakdown-visit-request = Request a technical visit
breakdown-level = Escalation level
breakdown-level-reason = Reason for the change
breakdown-level-0 = With the GP (not escalated)
breakdown-level-1 = Level 1: block engineer
breakdown-level-2 = Level 2: district officer
breakdown-age-days = { $days ->
        [one] Reported { $days } day ago
       *[other] Reported { $days } days ago
    }
breakdown-none-open = No open breakdowns.
breakdown-see-all = See all breakdowns
home-open-breakdowns = Open breakdowns
nav-review = Breakdown review
review-title = Breakdown review
review-summary = Summary
review-block = Block
review-gp = Gram panchayat
review-age = Age
review-age-0-3 = 0–3 days
review-age-4-7 = 4–7 days
review-age-8-30 = 8–30 days
review-age-30plus = Over 30 days
review-sort = Sort by
review-sort-oldest = Escalated, then oldest
review-sort-newest = Newest first
review-sort-due = Due first
review-sort-gp = Gram panchayat
review-month = Month
review-uptime = Uptime
review-median = Median repair (hours)
review-p90 = 90th percentile (hours)
review-resolved = Resolved
review-schemes = Schemes in service
review-period = Figures for { $from } to { $to }; repair time is from report to resolution, by the month resolved.
review-list = Breakdowns
review-age-days = Age (days)
review-sla = Deadline
review-visit-on = Visit { $date }
review-by-gp = By gram panchayat
review-overdue = Overdue
review-reported = Reported
review-by-month = By month
review-downtime = Days without water
review-schemes-down = Schemes without water in { $month }
review-more = { $count ->
        [one] { $count } more scheme had some downtime.
       *[other] { $count } more schemes had some downtime.
    }
review-repeats = Repeat failures
review-repeats-hint = Assets with 3 or more and schemes with 5 or more breakdowns in the last 90 days.
review-repeat-more = …and { $count } more; filter by gram panchayat to see them.
review-actions = Engineer's actions
complaint-title = Report a water problem
complaint-intro = No account needed. You will get a complaint number; with it and your phone number you can check what is being done.
complaint-name = Your name
complaint-phone = Mobile number
complaint-village = Village
complaint-description = What is wrong, and where?
complaint-submit = Send complaint
complaint-status-title = Check a complaint
complaint-throttled = Too many complaints from here just now. Please try again in { $minutes ->
        [one] { $minutes } minute.
       *[other] { $minutes } minutes.
    }
complaint-not-found = No complaint matches that number and mobile number.
complaint-filed-at = Filed on
complaint-due = To be repaired by
complaint-number = Complaint number
complaint-check = Check
flash-complaint-filed = Your complaint is registered. Keep its number (shown below); enter your mobile number to see its status.
complaint-find-title = Report a water problem: find your scheme
complaint-find-label = Village name, village LGD code, or scheme code
complaint-find-hint = Type part of your village's name in Hindi or English, its LGD code, or the code on the scheme card.
complaint-find-submit = Find
complaint-find-none = No scheme found for that. Try another spelling, the village LGD code, or the code on the scheme card.
complaint-find-choose = More than one scheme matches; choose yours:
complaint-find-report = Report a problem here
complaint-find-villages = Villages
complaint-photo = Photo (optional)
complaint-your-number = Your complaint number
complaint-keep-number = Write it down or copy it: with this number and your mobile number you can check the complaint.
complaint-already-reported = Already reported: number { $number }. This problem was reported from your phone and is still open, so no new complaint was made.
complaint-share-page = Report a water problem at { $scheme }:
complaint-share-find = Report a water problem:
complaint-share-status = Complaint number { $number }. Check its status:
complaint-report-link = Report a problem
share-link = Link
share-whatsapp = Share on WhatsApp
action-copy = Copy
action-copied = Copied
action-share = Share
complaint-register-title = Complaint register
complaint-register-month = Complaints received in { $month }
complaint-register-count = { $count ->
        [one] { $count } complaint
       *[other] { $count } complaints
    }
register-resolved = Resolved
register-repair-hours = { $hours ->
        [one] in { $hours } hour
       *[other] in { $hours } hours
    }
scheme-card-qr = Scan to report a problem with this scheme
scheme-card-complain = Water problem? Tell us.

## Billing
audit-entity-household = Household
audit-entity-tariff_plan = Tariff plan
audit-entity-demand_run = Demand run
audit-action-cancel = Cancelled
field-bad-month = Write the month as YYYY-MM, e.g. 2026-04.
field-money-too-large = At most { $max }.
field-month-out-of-range = Choose a month from { $from } to { $to }.
demand-month-too-late = Demands can be raised up to { $max } (next month), not later.
household-number-taken = Another household in this GP has this connection number.
household-other-gp = A household stays in its gram panchayat; pick a village of the same GP.
tariff-month-taken = This GP already has a plan starting that month.
demand-preview-changed = Households or plans changed since the preview; look at it again before raising.
demand-run-cancelled = This demand run is already cancelled.
household-cat-general = General
household-cat-bpl = BPL
household-cat-sc = SC
household-cat-st = ST
household-cat-exempt = Exempt

## Household register pages
nav-households = Households
households-title = Household register
households-search-hint = Name, connection number or mobile
households-status-all = All
household-new-title = Add a household
household-edit-title = Change a household
household-title = Household
household-connection-no = Connection number
household-connection-hint = Each household's own number in the gram panchayat, e.g. BN-001.
household-head-name = Head of the household
household-village = Village
household-scheme = Scheme
household-no-scheme = — none —
household-members = Members
household-category = Category
household-exempt-reason = Why exempt
household-exempt-hint = Needed when the category is Exempt.
household-connected-on = Connected on
household-disconnected-on = Disconnected on
household-status-reason = Reason for the status
household-status-hint = Disconnected: give the date and the reason. Merged: give the reason.
household-status-active = Active
household-status-disconnected = Disconnected
household-status-merged = Merged
household-choose-gp = Which gram panchayat is the household in?
household-continue = Continue
flash-household-saved = The household is saved.
households-import-title = Import households from CSV
households-import-help = First the file is checked and you see what would change; nothing is saved until you press "Import these rows".
households-import-columns-help = village: the village's LGD code or its name. scheme_code: the scheme's code (e.g. 23010101-1), or empty. category: general, bpl, sc, st or exempt. Dates as YYYY-MM-DD or DD-MM-YYYY. status: active (if empty), disconnected or merged. A row whose connection number is already in the register changes that household.
households-import-gp-own = The households are in your gram panchayat: the gp_lgd_code column can be left out.
households-import-gp-column = Give each row's gram panchayat in the gp_lgd_code column (its LGD code).
households-import-villages = LGD codes of your villages
households-import-check = Check the file
households-import-confirm = Import these rows
households-import-changes = What will change
households-import-nothing = Nothing to change: every row is already in the register as it is.
households-import-more = … and { $count } more.
households-change-new = New
households-change-update = Update
households-import-not-utf8 = The file is not UTF-8 text. In Excel, save it as "CSV UTF-8".
households-import-unknown-gp = No gram panchayat with this LGD code in your area.
households-import-unknown-village = No village of this gram panchayat has this LGD code or name.
households-import-village-ambiguous = More than one village has this name: give its LGD code.
households-import-unknown-scheme = No scheme of this gram panchayat has this code.
households-import-twice = This connection number is in the file twice.

## Payments, receipts, ledger, arrears, cash book
field-month = Month
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec
nav-payments = Payments
nav-cashbook = Cash book
audit-entity-payment = Payment
audit-entity-cashbook_entry = Cash book entry
payments-title = Payments
payments-search-hint = Receipt number, connection number or name
payments-page-total = Total on this page (valid receipts)
counter-title = Take a payment
counter-find = Find the household
counter-find-hint = Name, connection number or phone
counter-find-action = Search
counter-none-found = No household found. Try part of the name or the connection number.
counter-nothing-due = Nothing due
counter-more = More households match: type more of the name.
receipt-print = Print receipt
payment-record-title = Record a payment
payment-record-action = Record payment and issue receipt
payment-amount = Amount (₹)
payment-paid-on = Paid on
payment-reference = Reference
payment-reference-hint = UPI or bank transaction number, or cheque number. Not needed for cash.
payment-reference-required = Give the transaction or cheque number for a payment that is not cash.
payment-amount-positive = The amount must be more than zero.
payment-amount-too-large = That is more than { $max } — check the amount.
payment-before-connection = This date is before the tap was connected.
idempotency-bad-key = The idempotency key (the Idempotency-Key header or the idempotency_key field) must be 1–200 visible characters.
payment-key-reused = This Idempotency-Key was already used for a different payment.
payment-retry = The payment could not be confirmed. Look at the household's payments before trying again.
payment-already-cancelled = This payment is already cancelled.
payment-cancel-own = A payment must be cancelled by a secretary other than the one who recorded it.
payment-cancel = Cancel…
payment-cancel-confirm = Yes, cancel it
payment-status-valid = Valid
payment-mode-cash = Cash
payment-mode-upi = UPI
payment-mode-bank = Bank transfer
payment-mode-cheque = Cheque
flash-payment-recorded = Payment recorded. The receipt is below.
flash-payment-cancelled = Payment cancelled; the balances are updated.
receipt-title = Receipt
receipt-heading = Water user charge receipt
receipt-lgd = LGD
receipt-number = Receipt no.
receipt-date = Date
receipt-village = Village
receipt-months = For the months
receipt-advance-only = Advance
receipt-mode = Mode
receipt-balance-after = Balance due after this payment
receipt-advance-after = Advance credit after this payment
receipt-collected-by = Collected by
receipt-cancelled = Cancelled
receipt-layout = Layout
receipt-print-hint = Use your browser's Print to print the receipt; the layout fits the paper chosen above.
receipt-share = Link to share (opens without logging in)
receipt-whatsapp = Send on WhatsApp
receipt-share-message = Paani receipt { $no }:
ledger-title = Ledger
ledger-standing = Balance
ledger-demanded = Demanded
ledger-paid = Paid
ledger-due = Due
ledger-advance = Advance
ledger-months = Months
ledger-month = Month
ledger-demand = Demand
ledger-lines = All entries
ledger-entry = Entry
ledger-debit = Debit
ledger-credit = Credit
ledger-balance = Balance
ledger-kind-demand = Demand for
ledger-kind-payment = Payment, receipt
ledger-kind-cancellation = Cancelled receipt
ledger-month-paid = Paid
ledger-month-part = Part paid
ledger-month-unpaid = Unpaid
arrears-title = Arrears and collection
arrears-ageing = Arrears by age
arrears-months = { $range } months
arrears-total = Total
arrears-none = No arrears.
efficiency-title = Collection efficiency
efficiency-hint = Collected for each month's demands (so far) over what was demanded; the last column adds up the months shown.
efficiency-collected = Collected
efficiency-percent = Efficiency
efficiency-cumulative = Cumulative
defaulters-title = Defaulters
defaulters-threshold = { $months } or more months unpaid
defaulters-count = { $count ->
        [one] { $count } household
       *[other] { $count } households
    }
defaulters-min-months = Unpaid months at least
defaulters-months = Months unpaid
defaulters-since = Unpaid since
defaulters-followup = Follow-up / remarks
demands-title = Monthly demands
demands-preview-action = Preview
demands-preview = What raising demands for { $month } will create
demands-new = New demands
demands-no-plan = no tariff plan
demands-confirm = { $count ->
        [one] Raise { $count } demand
       *[other] Raise { $count } demands
    }, due on { $due }?
demands-raise-action = Raise demands
demands-nothing = Nothing to raise for this month.
demands-runs = Demand runs
demand-run-paid = Households have paid towards this run since it was raised, so it cannot be cancelled.
flash-demands-raised = Demands raised.
cashbook-title = O&M fund cash book
cashbook-opening = Opening balance
cashbook-closing = Closing balance
cashbook-scheme-only = Only the expenses linked to the repairs and maintenance of this scheme:
cashbook-scheme-whole = The whole cash book
cashbook-income = Income
cashbook-expense = Expense
cashbook-head = Head
cashbook-voucher = Voucher no.
cashbook-party = Paid to / received from
cashbook-receipts = { $count ->
        [one] { $count } receipt
       *[other] { $count } receipts
    }
cashbook-breakdown = Breakdown number (as on the complaint slip, e.g. 23010101-B24), for a repair
cashbook-breakdown-unknown = This GP has no breakdown numbered { $number }.
cashbook-work-already-recorded = Its cost is already in the cash book: { $amount } on { $date }.
cashbook-record-cost = Also record this cost as an expense in the O&M cash book
cashbook-not-yours = Only the panchayat secretary records expenses in the cash book.
cashbook-paid-on = { $amount } paid on { $date }
cashbook-pick-hint = Recent repairs and tasks with a cost not yet in the book are offered as you type.
cashbook-add = Add an entry
cashbook-add-action = Add to the cash book
cashbook-opening-exists = The cash book already has an opening balance.
cashbook-already-cancelled = This entry is already cancelled.
flash-cashbook-added = Entry added to the cash book.
flash-cashbook-cancelled = Entry cancelled.
cashbook-head-income-tariff = Water user charges
cashbook-head-income-grant_15fc = 15th Finance Commission tied grant
cashbook-head-income-grant_other = Other grant
cashbook-head-income-donation = Donation
cashbook-head-income-connection = Connection charges
cashbook-head-income-other = Other income
cashbook-head-income-opening = Opening balance
cashbook-head-opening-opening = Opening balance
cashbook-head-expense-electricity = Electricity bill
cashbook-head-expense-honorarium = Operator honorarium
cashbook-head-expense-repairs = Repairs
cashbook-head-expense-chemicals = Chemicals (bleaching powder etc.)
cashbook-head-expense-water_testing = Water testing
cashbook-head-expense-other = Other expense
cost-recovery-title = Cost recovery, last 12 months
cost-recovery-met = meets JJM's { $target }%
cost-recovery-not-met = below JJM's { $target }%
cost-recovery-charges = User charges
cost-recovery-expense = O&M expense
tariffs-title = Tariff plans
tariffs-hint = Each plan applies from its month on; earlier months keep the plan they had. Exempt households pay nothing.
tariffs-from = From { $month }
tariffs-none = No tariff plan yet: add one before raising demands.
tariffs-add = Add a plan
tariffs-add-action = Save the plan
tariffs-effective-from = Applies from (month)
tariffs-connection-charge = One-time connection charge
tariffs-late-fee = Late fee
tariffs-late-days = Late fee after this many days past the due date
tariffs-late-after = after { $days } days
tariffs-exempt-hint = Exempt households always pay ₹0.
flash-tariff-added = Tariff plan saved.
demands-late-fees-hint = Plans with a late fee charge it on demands still unpaid that many days after they fell due, once per demand.
demands-late-fees-action = Charge late fees now
flash-late-fees-charged = Late fees charged where they were due.
ledger-kind-late_fee = Late fee for
ledger-open-and-pay = Ledger and record a payment
ledger-open = Open the ledger
cashbook-task = Maintenance task, if the expense was for one

## The Paani Samiti
nav-committees = Committee
audit-entity-committee = Committee
committees-title = Paani Samiti
committees-hint = The GP's water and sanitation committee and any ward or village sub-committees, with their members and whether the composition rules are met.
committee-title = Committee
committee-new = Add a committee
committee-name = Name
committee-constituted = Constituted on
committee-sc-st-share = SC/ST share of the village population (%)
committee-create-action = Add the committee
committee-composition = Composition
committee-composition-ok = Rules met
committee-composition-not-ok = Rules not met
committee-serving = { $count ->
        [one] { $count } member serving
       *[other] { $count } members serving
    }
committee-rule = Rule
committee-rule-asks = Asks
committee-rule-has = Has
committee-rule-size = Members (size)
committee-rule-women = Women, at least
committee-rule-elected = Elected GP members, at most
committee-rule-sc_st = SC/ST members, at least the population share
committee-rule-met = Met
committee-rule-not-met = Not met
committee-rule-unknown = Population share not entered
committee-members = Members
committee-member-name = Name
committee-role = Role
committee-gender = Gender
committee-social = Social category
committee-elected = Elected GP member
committee-yes = Yes
committee-term = Term
committee-term-running = now
committee-term-from = Term starts on
committee-term-last-day = Last day of the term
committee-end-term = End the term
committee-add-member = Add a member
committee-reconstitute = Re-constitute the committee
committee-reconstitute-hint = After a GP election the committee is formed again: every running term ends on the day you give. The members stay in the history; add the new committee's members afterwards.
committee-reconstitute-example = e.g. GP election 2026
committee-reconstitute-action = End all running terms
committee-term-not-running = This member's term has already ended.
committee-role-chairperson = Chairperson
committee-role-member_secretary = Member secretary
committee-role-treasurer = Treasurer
committee-role-jal_sahiya = Jal Sahiya / pump operator
committee-role-member = Member
committee-gender-female = Woman
committee-gender-male = Man
committee-gender-other = Other
committee-social-sc = SC
committee-social-st = ST
committee-social-obc = OBC
committee-social-general = General
committee-social-other = Other
flash-committee-created = Committee added. Now add its members.
flash-committee-member-added = Member added.
flash-committee-terms-ended = Term(s) ended.
audit-entity-meeting = Meeting
audit-entity-action_item = Action item
meetings-title = Meetings
meeting-title = Meeting
meeting-plan = Plan a meeting
meeting-kind = Kind
meeting-day = Day
meeting-time = Time
meeting-venue = Venue
meeting-agenda = Agenda
meeting-agenda-hint = One item per line, in order.
meeting-agenda-required = Give at least one agenda item.
meeting-bad-time = Give the time as HH:MM, e.g. 10:30.
meeting-decision = Decision
meeting-kind-monthly = Monthly Paani Samiti meeting
meeting-kind-gram_sabha = Gram Sabha
meeting-kind-special = Special meeting
meeting-kind-with_engineer = Meeting with the block engineer
meeting-status-planned = Planned
meeting-status-held = Held
meeting-status-approved = Minutes approved
meeting-quorum = Quorum
meeting-quorum-met = Quorum met
meeting-quorum-not-met = No quorum
meeting-quorum-detail = { $present } of { $serving } members present ({ $needed } needed); { $women } women among them ({ $women_needed } needed).
meeting-others = Other villagers present: { $count }, of whom { $women } women.
meeting-attendance = Attendance
meeting-members-present = Members present
meeting-others-present = Other villagers present
meeting-others-women = Of whom women
meeting-women-more-than-present = There cannot be more women than people present.
meeting-attendance-save = Save attendance
meeting-approve = Approve the minutes
meeting-approve-hint = Once approved, the meeting is locked: nothing in it can be changed.
meeting-locked = The minutes of this meeting are approved and locked.
meeting-not-held = Record the attendance before approving the minutes.
meeting-locked-note = Minutes approved and locked on
flash-meeting-planned = Meeting planned.
flash-meeting-attendance = Attendance saved; the quorum is worked out below.
flash-meeting-approved = Minutes approved; the meeting is locked.

## Minutes, addenda, action items, decisions, regularity
field-gp = Gram panchayat
meeting-lang = Language of the minutes
minutes-title = Minutes
minutes-print = Print the minutes
minutes-hint = Write what was discussed and decided under each agenda item. The minutes can be changed until they are approved.
minutes-hint-inquorate = The quorum was not met: decisions of this meeting may need to be confirmed at the next one.
minutes-discussion = Discussion
minutes-save = Save the minutes
minutes-draft = Draft: these minutes are not approved yet.
minutes-present = Present
minutes-present-yes = Present
minutes-present-no = Absent
minutes-proceedings = Proceedings and decisions
minutes-signed-secretary = Member secretary:
meeting-approve-inquorate = The quorum was not met. You can still approve the minutes; they will say so.
meeting-photos = Signed attendance register
meeting-photo-alt = Photo of the signed attendance register
meeting-photos-none = No photo yet.
meeting-photo-add = Add a photo of the signed register
meeting-photo-hint = A JPEG or PNG photo; at most three per meeting.
meeting-photo-upload = Add the photo
photo-none = Choose a photo first.
addenda-title = Addenda
addendum-to-item = On item { $position }:
addendum-add = Add an addendum
addendum-hint = Approved minutes are not changed. A correction is added as an addendum, with your name and the time.
addendum-item = Agenda item it corrects (optional)
addendum-body = Correction
meeting-addendum-not-approved = Addenda are for approved minutes; until then, edit the minutes.
actions-title = Action items
actions-everyone = Everyone's action items
action-title = Action item
action-add = Add an action item
action-description = What is to be done
action-owner = Who
action-owner-none = Nobody named yet
action-due = Due by
action-decision = Follows from the decision on
action-scheme = Scheme (optional)
action-breakdown = Breakdown (optional)
action-breakdown-hint = complaint number, e.g. 23010101-B5
action-household = Household (optional)
action-household-hint = connection number
action-link-not-found = Not found in this gram panchayat.
action-status-open = Open
action-status-done = Done
action-status-dropped = Dropped
action-status-overdue = Overdue
action-closed-on = Closed on
action-note = Note
action-note-hint = What was done; or why it is dropped (needed then).
action-links = About
action-close = Mark done or dropped
action-drop-reason-required = Say why it is dropped.
action-closed = This action item is already closed.
flash-meeting-minutes = Minutes saved.
flash-meeting-addendum = Addendum added.
flash-meeting-photos = Photo added.
flash-action-added = Action item added.
flash-action-closed = Action item closed.
decisions-title = Decisions register
decisions-search-hint = words in the item or the decision
regularity-title = Meeting regularity
regularity-hint = The Paani Samiti should meet every month. Gram panchayats longest without a meeting come first.
regularity-summary = { $missed } of { $total } gram panchayats have missed their monthly meeting.
regularity-last = Last meeting
regularity-months = Months since
regularity-next = Next planned
regularity-held = Held this month
regularity-due = This month's meeting is due
regularity-missed = Monthly meeting missed
regularity-never = No meeting recorded
regularity-months-ago = { $months ->
    [0] this month
    [one] last month
   *[other] { $months } months ago
}
regularity-never-met = No meeting has been recorded yet.
regularity-open-actions = Open action items: { $open } ({ $overdue } overdue)
committee-member-account = Their account in Paani (optional)
committee-member-no-account = No account

## Reminders, inbox and the scheduler
nav-jobs = Scheduler
inbox-title = Reminders
inbox-bell = { $count ->
    [0] Reminders: none unread
    [one] Reminders: 1 unread
   *[other] Reminders: { $count } unread
}
inbox-area = Kind
inbox-area-maintenance = Maintenance
inbox-area-water = Water quality
inbox-area-breakdowns = Breakdowns
inbox-area-meetings = Meetings and action items
inbox-area-assets = Assets and schemes
inbox-area-billing = Billing
inbox-only-unread = Only unread
inbox-read-all = Mark all read
inbox-mark-read = Mark read
inbox-empty = Nothing to remind you of.
flash-inbox-read = Marked read.
reminder-task_due_soon = { $label } is due on { $due }.
reminder-task_overdue = { $label } was due on { $due } and is not done.
reminder-task_overdue_engineer = Overdue for long: { $label } (due { $due }).
reminder-water_test_overdue = Water test overdue: { $label } (due { $due }).
reminder-water_out_of_range = Water quality out of range: { $label } on { $due }.
reminder-breakdown_unacknowledged = Breakdown { $label } has not been acknowledged in time.
reminder-breakdown_escalated = Breakdown { $label } is past its deadline and escalated to you.
reminder-breakdown_escalated_district = Breakdown { $label } is still not repaired: escalated to the district.
reminder-action_due_soon = Action item due on { $due }: { $label }
reminder-action_overdue = Action item overdue since { $due }: { $label }
reminder-asset_life_early = { $label } reaches the end of its expected life on { $due }: plan its replacement.
reminder-asset_life_late = { $label } reaches the end of its expected life on { $due }.
reminder-asset_warranty = The warranty of { $label } ends on { $due }.
reminder-supply_not_logged = No day's water supply has been logged lately for { $label }.
reminder-scheme_design_end = The design period of { $label } ends on { $due }.
reminder-meeting_due = { $label }: this month's Paani Samiti meeting is due.
reminder-meeting_missed = { $label }: last month's Paani Samiti meeting was not held.
reminder-demands_not_raised = { $label }: this month's demands are not raised yet.
reminder-no_collection = { $label }: no user charges were collected last month.
jobs-title = Scheduler runs
jobs-enabled = The server sweeps every { $seconds } seconds.
jobs-disabled = The scheduler is off in this server (jobs.enabled = false); run `paani jobs run`.
jobs-started = Started
jobs-run-at = For the time
jobs-by = By
jobs-did = What it did
jobs-status-running = Running
jobs-status-ok = Done
jobs-status-failed = A job failed
jobs-status-busy = Another runner was busy
jobs-status-abandoned = Abandoned: its runner stopped part-way
jobs-abandoned-at = Given up at
jobs-lease-lost = Another runner took over the scheduler.
email-hello = Hello { $name },
email-one-reminder = Paani has a reminder for you:
email-digest-intro = { $count ->
        [one] Paani has { $count } new reminder for you:
       *[other] Paani has { $count } new reminders for you:
    }
email-digest-subject = Paani: { $count ->
        [one] { $count } new reminder
       *[other] { $count } new reminders
    }
email-inbox = All your reminders
email-footer = You get this because you work with Paani. Change how reminders reach you on your account page.
account-reminders = Reminders by e-mail
account-reminders-no-email = You have no e-mail address in Paani: reminders reach you here (the bell at the top) and by SMS if you turn it on below.
account-reminders-by-email = Send my reminders by e-mail
email-pref-immediate = Each one as it comes
email-pref-digest = Once a day, together
email-pref-off = Not by e-mail
flash-email-pref-saved = Saved: how reminders reach you by e-mail.
jobs-mail = E-mail
jobs-mail-waiting = { $count ->
        [one] { $count } message waiting
       *[other] { $count } messages waiting
    } to be delivered (transport: { $transport }).
jobs-mail-given-up = Given up
jobs-mail-subject = Subject
jobs-mail-tries = Tries
jobs-mail-error = Last error
jobs-mail-none-failed = No message has been given up.
meeting-minutes-before-attendance = Record who came first: the minutes follow the attendance (and its quorum).
action-closed-before-meeting = It cannot be closed before the meeting that decided it.
action-asset = Asset (optional)
demands-automatic = Raised by the scheduler
demands-automatic-hint = A gram panchayat set to automatic gets each month's demands raised by itself from day { $day } of the month; the others are reminded to raise them here.
demands-automatic-on = automatic
demands-automatic-off = by hand
demands-automatic-turn-on = Raise them automatically
demands-automatic-turn-off = Raise them by hand
flash-demands-automatic = Saved: how this gram panchayat's demands are raised.
reminder-defaulters_ready = This month's defaulters list is ready: { $label } households owe for several months.

## Dashboards
nav-dashboard = Dashboard
dash-title = Dashboard
dash-open = Open the GP's dashboard
dash-as-of = Figures as of { $time }
dash-now = Needs doing now
dash-nothing-urgent = Nothing urgent. Well done.
dash-breakdowns-overdue = { $count ->
    [one] 1 breakdown past its repair deadline
   *[other] { $count } breakdowns past their repair deadline
}
dash-breakdowns-escalated = { $count ->
    [one] 1 escalated breakdown
   *[other] { $count } escalated breakdowns
}
dash-tasks-overdue = { $count ->
    [one] 1 maintenance task overdue
   *[other] { $count } maintenance tasks overdue
}
dash-tasks-due-now = { $count ->
    [one] 1 maintenance task due now
   *[other] { $count } maintenance tasks due now
}
dash-actions-overdue = { $count ->
    [one] 1 action item overdue
   *[other] { $count } action items overdue
}
dash-unread = { $count ->
    [one] 1 unread reminder
   *[other] { $count } unread reminders
}
dash-of-them-overdue = { $count } overdue
dash-schemes = Schemes
dash-maintenance = Maintenance
dash-money = Money
dash-meetings = Paani Samiti
dash-charts = Trends
dash-uptime-90 = Water supplied (90 days)
dash-repair-90 = Median repair time (90 days)
dash-compliance-month = Done on time this month
dash-compliance-3m = Done on time, last 3 months
dash-month-collection = Collected of this month's demand
dash-last-meeting = Last meeting
dash-next-meeting = Next meeting
dash-actions-open = Open action items
dash-ok = OK
dash-not-ok = Not OK
dash-all = All states
dash-gps = { $count ->
    [one] 1 gram panchayat
   *[other] { $count } gram panchayats
}
dash-by = One row per { $level }
dash-no-gps = No gram panchayats here yet.
dash-without-meeting = GPs without a meeting for 2 months
dash-score-note = Rows are ranked by the "needs attention" score: the higher, the sooner it needs a visit. Click a heading to sort by it.
dash-col-name = Name
dash-col-score = Attention
dash-col-functional = Schemes functional
dash-col-open = Open breakdowns
dash-col-escalated = Escalated
dash-col-repair = Median repair hours (90 days)
dash-col-uptime = Uptime % (90 days)
dash-col-compliance = Maintenance on time % (3 months)
dash-col-collection = Collection % (3 months)
dash-col-recovery = Cost recovery % (12 months)
dash-col-fund = O&M fund balance
dash-col-meeting = Months since meeting
dash-col-composition = Committee composition
dash-col-tasks-due = Tasks due now
dash-col-tasks-overdue = Tasks overdue
dash-month = Month
dash-demand = Demand
dash-collected = Collected
dash-efficiency = Collection %
dash-reported = Reported
dash-resolved = Resolved
dash-repair-median = Median repair hours
# hours after a number (a repair took "41.0 h")
dash-hours-short = h
dash-compliance = On time %
dash-tasks-due = Tasks due
dash-tasks-on-time = Done on time
dash-scheme = Scheme
dash-uptime = Uptime
dash-age = Age
dash-age-months = { $months ->
        [one] { $months } month
       *[other] { $months } months
    }
dash-unpaid = Unpaid
chart-show-data = Show data
chart-collection = Demand and collection per month
chart-breakdowns = Breakdowns reported and resolved per month
chart-repair = Median repair time per month (hours)
chart-compliance = Maintenance tasks due and done on time per month
chart-uptime = Uptime per scheme, last 90 days
chart-arrears = Arrears by age
report-monthly = Monthly O&M report
report-other-lang = हिन्दी में
report-printed-on = Printed on { $day }
report-service = Service
report-schemes = Schemes in service
report-not-functional = Not functional or under repair
report-uptime = Water supplied (share of the month)
report-downtime = Days with supply stopped (all schemes)
report-maintenance = Maintenance
report-breakdowns = Breakdowns and repairs
report-repair-p90 = Repair hours, 9 in 10 within
report-finances = Finances (O&M fund)
report-opening = Opening balance
report-income = Income (user charges and other)
report-expense = Expenses
report-closing = Closing balance
report-meetings = Meetings
report-meetings-held = { $count ->
    [one] 1 meeting held
   *[other] { $count } meetings held
}
report-by-gp = Gram panchayat by gram panchayat
report-sign-secretary = Secretary's signature
report-sign-president = President's signature
error-bad-month = The month should look like 2026-11 and not be in the future.
review-last-90 = Last 90 days: water supplied { $uptime }% of the time; { $count ->
        [one] { $count } breakdown resolved.
       *[other] { $count } breakdowns resolved.
    }

## Set-up warnings shown to admins
setup-base-url-missing = The public address (server.base_url) is not set: QR cards, e-mails and shared receipts link to { $url }, which phones cannot open. Set it to the address people use.
setup-base-url-loopback = The public address (server.base_url) is { $url }, this machine only, but Paani listens on { $listen }: links in QR cards, e-mails and shared receipts will not open on phones. Set it to the address people use.

# forms: lengths and short pages
meeting-attendance-record = Record attendance
field-max-lines = Up to { $items } entries, each up to { $chars } characters.

# scheme health card
health-breakdowns = Breakdowns
health-open = Open
health-past-deadline = Past the repair deadline
health-escalated = Escalated
health-age = { $days ->
    [0] Reported today
    [one] Reported 1 day ago
   *[other] Reported { $days } days ago
}
health-deadline = repair due { $time }
health-late = late
health-none-open = No open breakdowns.
health-see-all = See all
health-uptime = Water supply and repairs
health-water-90 = Water supplied (90 days)
health-water-12 = Water supplied (12 months)
health-repair-90 = { $count ->
    [one] Median repair time (90 days, 1 repair)
   *[other] Median repair time (90 days, { $count } repairs)
}
health-repair-12 = { $count ->
    [one] Median repair time (12 months, 1 repair)
   *[other] Median repair time (12 months, { $count } repairs)
}
health-maintenance = Maintenance
health-tasks-due = Tasks due now
health-tasks-overdue = Tasks overdue
health-compliance = Done on time, last 3 months ({ $on_time } of { $due })
health-last-work = Last work done: { $title } on { $date }
health-no-work = No work recorded yet.
health-assets = Assets near the end of their life
health-life-ends = life ends { $date }
health-none-nearing = None within { $months } months.
health-budget = { $count ->
    [one] Replacement budget until the design period ends on { $date } (1 asset)
   *[other] Replacement budget until the design period ends on { $date } ({ $count } assets)
}
health-without-cost = { $count ->
    [one] 1 without a cost
   *[other] { $count } without a cost
}
health-no-design-end = The end of the design period is not known.
health-billing = { $count ->
    [one] Households served: 1
   *[other] Households served: { $count }
}
health-this-month = This month
health-12-months = Last 12 months
health-arrears = Arrears (unpaid)
health-costs = O&M costs
health-entries = { $count ->
    [0] no entries
    [one] 1 entry
   *[other] { $count } entries
}
health-costs-note = Cash-book expenses recorded for this scheme's repairs and maintenance.
health-card-uptime = Water supplied, last 90 days
health-card-open = Open breakdowns
health-card-collection = Collection, last 12 months
health-card-arrears = Arrears
health-supply = Water supply this month
health-supply-functionality = Functionality (JJM)
health-supply-lpcd = litres per person per day (norm { $norm })
health-supply-regularity = Days supplied as scheduled
health-supply-days = { $logged ->
        [one] One day logged
       *[other] { $logged } days logged
    }, { $without ->
        [0] none without water.
        [one] one without water.
       *[other] { $without } without water.
    }
health-water-quality = Water quality
health-wq-last = Last tested { $date }
health-wq-none = No water test recorded at this scheme's sampling points yet.
health-wq-failed = { $count ->
        [one] One test failed the standard in the last 12 months.
       *[other] { $count } tests failed the standard in the last 12 months.
    }

# tables and where-lines
asset-name-hi-hint = Optional. Shown to people who read Paani in Hindi; the name above is shown to everyone else.
table-narrow-hint = On a phone the table shows the main figures; open a row's name for all of them.

# field/supplyfin: WhatsApp share on demand notices and the scheme card (issue 27 item 5)
demand-notice-title = Water bill notice
demand-notice-month = Month
demand-notice-due-on = Pay by
demand-notice-late-fee = Late fee included
demand-notice-balance = Total due today
demand-notice-share-text = Paani water bill for { $month }:
scheme-card-share-text = Water supply of { $scheme }: report a problem or see notices at

# field/sms-otp: log-in by phone with a one-time code by SMS (issue 27 item 7)
login-with-code = Log in with a code by SMS
otp-title = Log in with a code by SMS
otp-phone-help = Type the mobile number written in your Paani account. A 6-digit code will come to it by SMS.
action-send-code = Send me the code
otp-sent = If { $phone } is the number of an account that may log in by phone, a 6-digit code has been sent to it by SMS. It works for 5 minutes.
field-otp-code = Code from the SMS
otp-code-invalid = Type the 6 digits of the code.
otp-wrong = This code is wrong or no longer works. Check the SMS, or ask for a new code.
otp-throttled = Too many codes were asked for. You can ask again at { $time } (in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}).
otp-new-code = Ask for a new code
otp-use-password = Log in with username and password
audit-detail-otp-requested = log-in code sent by SMS to { $phone }
audit-detail-otp-requested-unknown = log-in code asked for { $phone }: no account may log in with this number, nothing sent
audit-detail-otp-failed = wrong log-in code for { $phone }
audit-detail-login-otp = logged in with a code by SMS
audit-detail-login-otp-kept = logged in with a code by SMS (kept on this device)

## Working without a signal (issue 28): idempotency keys
idempotency-key-reused = This idempotency key was already used for a different request. Nothing was recorded; send the new record with a new key.
idempotency-key-in-flight = The same record is being saved right now. Open the list to see it.
flash-already-recorded = This was recorded already; it was not recorded twice.

## Working without a signal (issue 28): changed meanwhile, needs your decision
conflict-title = Changed meanwhile: needs your decision
conflict-task-done = This task was completed or closed by someone else after your form was filled in. Nothing of yours was recorded yet: discard it, or keep both (yours as extra work beside the first).
conflict-breakdown-closed = This breakdown was resolved, closed or rejected after your form was filled in. Nothing of yours was recorded yet: discard it, or keep both (your note added to its timeline; the status stays).
conflict-household-disconnected = This household was disconnected after your list was last updated. The payment was not recorded yet: discard it, or record it anyway if the money was collected.
conflict-task-done-summary = Completed by { $by } on { $date }
conflict-task-done-summary-what = Completed by { $by } on { $date }: { $what }
conflict-task-skipped-summary = Skipped on { $date }: { $reason }
conflict-task-closed-summary = The task is { $state }
conflict-breakdown-summary = Breakdown { $no } is { $status } since { $date }
conflict-breakdown-summary-what = Breakdown { $no } is { $status } since { $date }: { $what }
conflict-household-summary = Connection { $no } ({ $name }) was disconnected on { $date }
conflict-household-summary-why = Connection { $no } ({ $name }) was disconnected on { $date }: { $reason }
conflict-server-version = What is recorded now
conflict-see-record = Open the record
conflict-choose = What should happen to what you sent?
conflict-choice-discard = Discard mine
conflict-choice-keep_both = Keep both
conflict-choice-send_anyway = Record it anyway
conflict-also-done-note = Also done on { $date }, sent from a phone after the task had been completed.
flash-conflict-kept-both = Kept beside what was recorded; nothing of that was changed.
audit-detail-work-beside = { $title }, kept beside a task completed meanwhile{ $photos ->
    [0] {""}
    [one] , 1 photo
   *[other] , { $photos } photos
}
## Working without a signal (issue 28): the installable app and its outbox
outbox-title = Outbox
outbox-intro = Records saved on this phone while there was no signal. Each is sent when the connection returns, one at a time, and is removed from this phone only after the server has confirmed it.
outbox-noscript = The outbox is kept by this phone's browser and needs JavaScript to show. With JavaScript off, forms are sent straight away and nothing waits here.
outbox-empty = Nothing waits to be sent.
outbox-send-now = Send now
outbox-export = Export all (file)
outbox-export-hint = A file with every record that waits, photos included, to keep or share before clearing the browser's data.
outbox-state-waiting = Waiting
outbox-state-sending = Sending…
outbox-state-failed = Failed
outbox-state-decision = Needs your decision
outbox-state-login = Log in to send
outbox-retry = Retry
outbox-discard = Discard
outbox-discard-confirm = Discard this record for good? It will not be sent.
outbox-discard-yes = Yes, discard
outbox-cancel = Cancel
outbox-open-form = Open the form again
outbox-mine = Yours (on this phone)
outbox-theirs = Already on the server
outbox-choice-keep_both = Keep both
outbox-choice-send_anyway = Send anyway
outbox-saved-at = Saved on
outbox-tries = Tries
outbox-why = Why
outbox-persist-granted = This browser keeps the outbox even when the phone runs short of space.
outbox-persist-denied = This browser may clear the outbox when the phone runs short of space: send or export it soon.
outbox-login = You are logged out: log in, then the records are sent.
outbox-network = No connection to the server: the records wait and are sent when it returns.
offline-saved = Saved on this phone; will be sent when there is a signal.
offline-banner-one = 1 record waiting to be sent
offline-banner-many = %n records waiting to be sent
offline-banner-open = Open the outbox
offline-receipt-title = Provisional receipt
offline-receipt-note = Provisional until sent to the server.
offline-receipt-print = Print
offline-photo = Photo

## Receipt books (issue 28, item 5)
nav-receipt-books = Receipt books
receipt-books-title = Receipt books
receipt-books-intro = A receipt book is a block of this year's receipt numbers reserved for one collector, for payments taken where there is no signal. Close a book when it comes back: its unused numbers are returned, so every number of the year is accounted for.
receipt-book-title = Receipt book
receipt-accounting-title = Receipt numbers accounted for
receipt-book-issue = Issue a receipt book
receipt-book-issue-action = Issue the book
receipt-book-collector = Collector
receipt-book-size = How many numbers
receipt-book-size-hint = 1 to { $max }. The numbers are reserved at once; payments recorded online take the numbers after them.
receipt-book-device = Phone (optional)
receipt-book-device-hint = e.g. Sunita's phone
receipt-book-numbers = Numbers
receipt-book-used = Used
receipt-book-returned = Returned
receipt-book-cancelled = Cancelled
receipt-book-fate = What became of it
receipt-book-fy = Financial year
receipt-book-status-open = With the collector
receipt-book-status-closed = Closed
receipt-book-counts = Used { $used } · returned { $returned } · cancelled { $cancelled } · still free { $free }
receipt-book-close = Close the book
receipt-book-close-confirm = The book is back. Record its { $free } unused numbers as returned: no payment can take them after this.
receipt-book-close-action = Close the book
receipt-book-close-confirm-required = Tick the box to confirm the book is back.
receipt-leaf-cancel = Cancel this leaf
receipt-leaf-cancel-confirm = Yes, cancel this number
receipt-fate-payment = Payment
receipt-fate-payment_cancelled = Payment, cancelled
receipt-fate-open = Unused, in a book with its collector
receipt-fate-returned = Returned unused
receipt-fate-cancelled = Leaf cancelled
receipt-fate-missing = Not accounted for
receipt-accounting-all = All { $count } numbers accounted for.
receipt-accounting-gaps = { $count ->
    [one] One number is not accounted for exactly once.
   *[other] { $count } numbers are not accounted for exactly once.
}
receipt-accounting-missing = Numbers nothing accounts for
receipt-accounting-doubled = Numbers accounted for twice
receipt-accounting-from = From
receipt-accounting-to = To
receipt-accounting-count = Numbers
receipt-book-collector-invalid = Choose a user of this gram panchayat who may record payments.
receipt-book-not-yours = This is not one of your receipt books.
receipt-book-other-gp = This receipt book belongs to another gram panchayat than the household.
receipt-seq-outside-book = This book holds the numbers { $first } to { $last }.
receipt-fy-invalid = Write the financial year like 2026-27.
receipt-book-closed = This receipt book is closed already.
receipt-leaf-used = A payment already has this receipt number. Check the book: use the next free leaf.
receipt-leaf-returned = This receipt number was returned or cancelled, so no payment can take it now. Decide what to do: record the payment with a new number, or ask the secretary.
flash-receipt-book-issued = Receipt book issued. Its numbers are reserved.
flash-receipt-book-closed = Receipt book closed. Its unused numbers are recorded as returned.
flash-receipt-leaf-cancelled = The leaf is cancelled.
audit-entity-receipt_book = Receipt book
audit-detail-receipt-book = Receipt book { $fy }: numbers { $first } to { $last } to { $collector }
audit-detail-receipt-book-closed = Receipt book closed: { $used } used, { $returned } returned
audit-detail-receipt-leaf-cancelled = Receipt leaf { $seq } cancelled: { $reason }
payment-receipt-book = Receipt book (payment taken offline)
payment-receipt-book-none = None: the next number
payment-receipt-seq = Leaf number in the book
## Sync: pulling changes from the list APIs (issue 28, item 6)
sync-updated-since-bad = updated_since must be a time in RFC 3339 form, such as 2026-12-08T10:00:00Z or 2026-12-08T15:30:00+05:30 (write + as %2B in a link).
sync-after-id-bad = after_id must be a record id, and comes only with updated_since.
sync-page-size-bad = page_size must be a whole number from 1 to 500.
sync-query-bad = The list's query could not be read.
outbox-see-theirs = See what is on the server
sync-cashbook-statement-only = month and scheme choose a cash book statement; pulling changes (updated_since) takes only gp.
