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
field-required = This is required.
field-too-long = At most { $max } characters.
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

## Log-in and account
login-title = Log in
login-failed = Wrong username or password.
login-throttled = Too many failed attempts. Please wait { $minutes } minutes and try again.
login-help = Forgot your password? Ask your block office or administrator to reset it.
account-title = My account
account-language = Language
account-password = Password
account-password-help = Changing your password logs you out on every other phone and computer.
flash-logged-out = You have logged out.
flash-password-changed = Your password is changed. Other sessions have been logged out.
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
user-place-hint = Secretary and member: the gram panchayat. Block engineer: the block. District officer: the district (or state). Administrator: leave empty.
user-username-invalid = Use 3 to 40 small letters, digits, dots, dashes or underscores.
user-username-taken = This username is already taken.
user-admin-no-place = An administrator works everywhere: leave the place empty.
user-place-missing = No active place with this LGD code at the level this role needs ({ $level }).
user-place-inactive = This place is deactivated.
user-cannot-deactivate-self = You cannot deactivate your own account.
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
import-checked = File checked: { $rows } rows are fine ({ $created } new, { $updated } to update). Nothing was imported yet.
import-done = Imported { $rows } rows: { $created } new, { $updated } updated.
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

## API documentation
api-docs-title = API documentation
api-docs-bearer = Needs an API token: Authorization: Bearer <token>
api-docs-params = Parameters
api-docs-body = Request body
api-docs-responses = Responses
api-docs-schemas = Data shapes

## Errors
error-status = Error { $status }
error-go-home = Go to the home page
error-retry-minutes = Try again in { $minutes } minutes.
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
