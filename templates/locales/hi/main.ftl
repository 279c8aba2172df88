## पानी — हिन्दी संदेश। यहाँ की हर key ../en/main.ftl में भी होनी चाहिए। (Every key here must also exist in ../en/main.ftl.)

app-name = पानी
app-tagline = पानी समितियों के लिए जल योजना का संचालन और रखरखाव
skip-to-content = सीधे मुख्य सामग्री पर जाएँ
lang-name-en = English
lang-name-hi = हिन्दी

## नेविगेशन
nav-label = मुख्य मेनू
nav-home = होम
nav-places = स्थान
nav-admin-users = उपयोगकर्ता
nav-audit = ऑडिट लॉग
nav-account = मेरा खाता
pager-label = पेज
pager-prev = पिछला
pager-next = अगला
pager-status = पेज { $page } / { $pages } (कुल { $total })

## भूमिकाएँ और स्तर
role-admin = प्रशासक
role-district_officer = जिला अधिकारी
role-block_engineer = ब्लॉक इंजीनियर
role-secretary = पंचायत सचिव
role-member = पानी समिति सदस्य
level-state = राज्य
level-district = जिला
level-block = ब्लॉक
level-gp = ग्राम पंचायत
level-village = गाँव
lgd-code = LGD कोड

## सामान्य काम और फ़ील्ड
action-login = लॉग इन करें
action-logout = लॉग आउट करें
action-save = सेव करें
action-cancel = रद्द करें
action-edit = बदलें
action-filter = दिखाएँ
action-deactivate = निष्क्रिय करें
action-activate = फिर से सक्रिय करें
action-import = इम्पोर्ट करें
action-change-password = पासवर्ड बदलें
filter-search = खोजें
filter-any = कोई भी
filter-from = से
filter-to = तक
status-active = सक्रिय
status-inactive = निष्क्रिय
status-all = सभी
list-empty = दिखाने के लिए कुछ नहीं है।
field-username = यूज़रनेम
field-password = पासवर्ड
field-current-password = मौजूदा पासवर्ड
field-new-password = नया पासवर्ड
field-confirm-password = नया पासवर्ड दोबारा
field-display-name = नाम
field-role = भूमिका
field-phone = मोबाइल नंबर
field-email = ई-मेल
field-lang = भाषा
field-status = स्थिति
field-name = नाम (अंग्रेज़ी में)
field-name-hi = नाम (हिन्दी में)
field-level = स्तर
field-place = स्थान
field-place-lgd = जिस स्थान पर काम करते हैं, उसका LGD कोड
field-parent-lgd = ऊपर वाले स्थान का LGD कोड
field-csv-file = CSV फ़ाइल

## जाँच के संदेश
field-required = यह भरना ज़रूरी है।
field-too-long = ज़्यादा से ज़्यादा { $max } अक्षर।
field-invalid-choice = दिए गए विकल्पों में से एक चुनें।
phone-invalid = 10 अंकों का भारतीय मोबाइल नंबर डालें।
email-invalid = सही ई-मेल पता डालें।
password-too-short = पासवर्ड में कम से कम { $min } अक्षर होने चाहिए।
password-too-long = पासवर्ड बहुत लंबा है।
password-mismatch = दोनों पासवर्ड एक जैसे नहीं हैं।
password-current-wrong = मौजूदा पासवर्ड सही नहीं है।

## होम
home-title = होम
home-welcome = नमस्ते, { $name }
home-your-area = आपका क्षेत्र
home-next-steps = आप क्या कर सकते हैं
home-intro-admin = आप सभी के लिए स्थान और उपयोगकर्ता खाते संभालते हैं।
home-intro-district_officer = आप अपने जिले के ब्लॉकों और ग्राम पंचायतों की देखरेख करते हैं।
home-intro-block_engineer = आप अपने ब्लॉक की ग्राम पंचायतों के काम की जाँच करते हैं।
home-intro-secretary = आप अपनी ग्राम पंचायत के पानी से जुड़े रिकॉर्ड रखते हैं।
home-intro-member = आप अपने गाँव की जल योजना के रखरखाव और खराबी का ब्योरा दर्ज करते हैं।

## लॉग इन और खाता
login-title = लॉग इन
login-failed = यूज़रनेम या पासवर्ड गलत है।
login-throttled = बहुत बार गलत कोशिश हुई। कृपया { $minutes } मिनट रुककर फिर से कोशिश करें।
login-help = पासवर्ड भूल गए? अपने ब्लॉक कार्यालय या प्रशासक से इसे रीसेट करने को कहें।
account-title = मेरा खाता
account-language = भाषा
account-password = पासवर्ड
account-password-help = पासवर्ड बदलने पर आप बाकी सभी फ़ोन और कंप्यूटर से लॉग आउट हो जाएँगे।
flash-logged-out = आप लॉग आउट हो गए हैं।
flash-password-changed = आपका पासवर्ड बदल गया है। बाकी सभी जगह से लॉग आउट कर दिया गया है।
flash-language-changed = आपकी भाषा सेव हो गई है।

## उपयोगकर्ता (प्रशासक)
users-title = उपयोगकर्ता
users-search-hint = नाम, यूज़रनेम, फ़ोन या ई-मेल
user-new-title = नया उपयोगकर्ता जोड़ें
user-edit-title = उपयोगकर्ता की जानकारी बदलें
user-password-title = पासवर्ड रीसेट करें
user-password-reset-help = उपयोगकर्ता हर जगह से लॉग आउट हो जाएगा और उसे नया पासवर्ड इस्तेमाल करना होगा।
user-deactivate-title = उपयोगकर्ता को निष्क्रिय करें
user-deactivate-question = { $name } को निष्क्रिय करें? वे लॉग आउट हो जाएँगे और फिर से सक्रिय होने तक लॉग इन नहीं कर पाएँगे।
user-username-hint = 3 से 40 अक्षर: छोटे अंग्रेज़ी अक्षर, अंक, बिंदु (.), डैश (-) या अंडरस्कोर (_)।
user-place-hint = पंचायत सचिव और सदस्य: ग्राम पंचायत। ब्लॉक इंजीनियर: ब्लॉक। जिला अधिकारी: जिला (या राज्य)। प्रशासक: खाली छोड़ें।
user-username-invalid = 3 से 40 छोटे अंग्रेज़ी अक्षर, अंक, बिंदु, डैश या अंडरस्कोर इस्तेमाल करें।
user-username-taken = यह यूज़रनेम पहले से लिया जा चुका है।
user-admin-no-place = प्रशासक हर जगह काम करता है: स्थान खाली छोड़ें।
user-place-missing = इस भूमिका के लिए ज़रूरी स्तर ({ $level }) पर इस LGD कोड का कोई सक्रिय स्थान नहीं है।
user-place-inactive = यह स्थान निष्क्रिय है।
user-cannot-deactivate-self = आप अपना खुद का खाता निष्क्रिय नहीं कर सकते।
user-place-ambiguous = इस LGD कोड वाला एक राज्य और एक जिला दोनों हैं: नीचे स्तर चुनें।
user-cannot-change-own-role = आप अपनी खुद की भूमिका नहीं बदल सकते।
user-last-admin = यह आख़िरी सक्रिय प्रशासक है: पहले किसी और को प्रशासक बनाएँ।
field-place-level = उस स्थान का स्तर
user-place-level-auto = भूमिका के अनुसार
flash-user-created = उपयोगकर्ता जोड़ दिया गया है।
flash-user-saved = उपयोगकर्ता की जानकारी सेव हो गई है।
flash-user-deactivated = उपयोगकर्ता निष्क्रिय कर दिया गया है और लॉग आउट हो गया है।
flash-user-activated = उपयोगकर्ता फिर से सक्रिय है।
flash-password-reset = पासवर्ड रीसेट हो गया है और उपयोगकर्ता हर जगह से लॉग आउट हो गया है।

## स्थान
places-title = स्थान
places-search-hint = नाम या LGD कोड
place-title = स्थान
place-new-title = नया स्थान जोड़ें
place-edit-title = स्थान की जानकारी बदलें
place-deactivate-title = स्थान को निष्क्रिय करें
place-deactivate-question = { $name } को निष्क्रिय करें? यह रिकॉर्ड में बना रहेगा, लेकिन नए काम के लिए नहीं दिखेगा।
place-ancestry = यह स्थान कहाँ है
place-add-child = { $level } जोड़ें
place-parent-hint = जिला किसी राज्य में, ब्लॉक किसी जिले में, ग्राम पंचायत किसी ब्लॉक में और गाँव किसी ग्राम पंचायत में आता है। राज्य के ऊपर कोई स्थान नहीं होता।
place-level-invalid = स्तर चुनें: राज्य, जिला, ब्लॉक, ग्राम पंचायत या गाँव।
place-lgd-invalid = LGD कोड एक संख्या होती है (ज़्यादा से ज़्यादा 12 अंक)।
place-lgd-taken = इस स्तर पर किसी दूसरे स्थान का यही LGD कोड पहले से है।
place-state-no-parent = राज्य के ऊपर कोई स्थान नहीं होता: इसे खाली छोड़ें।
place-parent-missing = ऊपर वाले स्तर पर इस LGD कोड का कोई स्थान नहीं है।
flash-place-saved = स्थान सेव हो गया है।
flash-place-deactivated = स्थान निष्क्रिय कर दिया गया है।
flash-place-activated = स्थान फिर से सक्रिय है।
places-import-title = CSV से स्थान इम्पोर्ट करें
places-import-help = हर लाइन में एक स्थान: LGD कोड, नाम, हिन्दी नाम (ज़रूरी नहीं), ऊपर वाले स्थान का LGD कोड (राज्य के लिए खाली)। कॉलम के नामों वाली पहली लाइन छोड़ दी जाती है। अगर कोई भी लाइन गलत है तो कुछ भी इम्पोर्ट नहीं होगा; जिस स्थान का LGD कोड पहले से मौजूद है, उसकी जानकारी अपडेट हो जाएगी।
import-dry-run = सिर्फ़ फ़ाइल जाँचें, कुछ भी इम्पोर्ट न करें
import-checked = फ़ाइल जाँच ली गई: { $rows } लाइनें सही हैं ({ $created } नई, { $updated } अपडेट होंगी)। अभी कुछ भी इम्पोर्ट नहीं हुआ है।
import-done = { $rows } लाइनें इम्पोर्ट हुईं: { $created } नई, { $updated } अपडेट हुईं।
import-failed = कुछ भी इम्पोर्ट नहीं हुआ। इन लाइनों को ठीक करके फिर से कोशिश करें:
import-line = लाइन
import-field = फ़ील्ड
import-problem = समस्या
import-row-unreadable = यह लाइन CSV के रूप में पढ़ी नहीं जा सकी।
import-row-columns = 2 से 4 कॉलम होने चाहिए: LGD कोड, नाम, हिन्दी नाम, ऊपर वाले स्थान का LGD कोड।
import-too-many-rows = बहुत ज़्यादा लाइनें: एक फ़ाइल में ज़्यादा से ज़्यादा { $max }।
import-empty = फ़ाइल में कोई लाइन नहीं है।
import-duplicate-in-file = यह LGD कोड फ़ाइल में दो बार आया है।

## ऑडिट लॉग
audit-title = ऑडिट लॉग
audit-when = कब
audit-who = किसने
audit-action = काम
audit-entity = रिकॉर्ड
audit-summary = क्या हुआ
audit-entity-place = स्थान
audit-entity-user = उपयोगकर्ता
audit-entity-session = सत्र
audit-entity-api_token = API टोकन
audit-action-create = बनाया
audit-action-update = बदला
audit-action-deactivate = निष्क्रिय किया
audit-action-activate = फिर से सक्रिय किया
audit-action-import = इम्पोर्ट किया
audit-action-login = लॉग इन किया
audit-action-logout = लॉग आउट किया
audit-action-login_failed = लॉग इन विफल
audit-action-password_change = अपना पासवर्ड बदला
audit-action-password_reset = पासवर्ड रीसेट किया
audit-action-token_issue = API टोकन जारी किया
audit-action-token_revoke = API टोकन रद्द किया

## API दस्तावेज़
api-docs-title = API दस्तावेज़
api-docs-bearer = API टोकन ज़रूरी है: Authorization: Bearer <token>
api-docs-params = पैरामीटर
api-docs-body = रिक्वेस्ट बॉडी
api-docs-responses = जवाब (रिस्पॉन्स)
api-docs-schemas = डेटा का ढाँचा

## गड़बड़ियाँ
error-status = गड़बड़ी { $status }
error-go-home = होम पेज पर जाएँ
error-retry-minutes = { $minutes } मिनट बाद फिर से कोशिश करें।
error-not-found = नहीं मिला
error-forbidden = आपको यह करने की अनुमति नहीं है
error-unauthorized = कृपया लॉग इन करें
error-csrf = इस फ़ॉर्म का समय खत्म हो गया है। वापस जाएँ, पेज दोबारा लोड करें और फिर से कोशिश करें।
error-too-many = बहुत ज़्यादा कोशिशें
error-bad-request = रिक्वेस्ट समझ में नहीं आई
error-validation = कुछ फ़ील्ड ठीक करने ज़रूरी हैं
error-conflict = यह पहले से मौजूद रिकॉर्ड से टकराता है
error-internal = हमारी तरफ़ कुछ गड़बड़ हो गई। कृपया थोड़ी देर बाद फिर से कोशिश करें।
error-too-large = अपलोड की गई फ़ाइल बहुत बड़ी है।
error-unsupported-type = इस तरह की सामग्री स्वीकार नहीं की जाती।
error-bad-json = JSON बॉडी पढ़ी नहीं जा सकी।
error-bad-query = खोज या फ़िल्टर की कोई वैल्यू सही नहीं है।
error-bad-upload = अपलोड की गई फ़ाइल पढ़ी नहीं जा सकी।
