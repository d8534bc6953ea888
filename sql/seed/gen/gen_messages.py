#!/usr/bin/env python3
"""Generate sql/seed/messages.json (mana-i18n/1): the bot's own strings in
English, Telugu and Hindi.  Python 3, standard library only.

Key naming carries the WhatsApp limit a text must fit (checked by check.py):
  *.button, lang.name.*      reply button / list button title   <= 20 code points
  *.section, *.section.*     list section title                 <= 24
  *.row, *.row.*             list row title                     <= 24
  *.desc                     list row description               <= 72
  *.body, privacy.notice, lang.prompt   interactive message body <= 1024
everything else is a plain text message (<= 4096).
Placeholders are {name}; every language uses the same set as English.
words.* are comma-separated lists of the global words the bot recognises.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.dirname(HERE)

# key: (en, te, hi)   hi may be None
M = {}


def m(key, en, te, hi=None):
    assert key not in M, key
    M[key] = (en, te, hi)


# ------------------------------------------------------------ first contact
PROMPT = ("నమస్కారం! మన మిత్రకు స్వాగతం. మీ భాషను ఎంచుకోండి.\n"
          "Welcome to Mana Mitra, Government of Andhra Pradesh services on WhatsApp. Please choose your language.\n"
          "नमस्ते! मन मित्र में आपका स्वागत है। अपनी भाषा चुनें।")
m("lang.prompt", PROMPT, PROMPT, PROMPT)
m("lang.name.te", "తెలుగు", "తెలుగు", "తెలుగు")
m("lang.name.en", "English", "English", "English")
m("lang.name.hi", "हिन्दी", "हिन्दी", "हिन्दी")
m("lang.choose.body", "Which language would you like to use?",
  "మీరు ఏ భాషలో మాట్లాడాలనుకుంటున్నారు?",
  "आप किस भाषा में बात करना चाहेंगे?")
m("lang.changed", "Done. I will talk to you in English from now on.",
  "సరే. ఇకపై మీతో తెలుగులో మాట్లాడతాను.",
  "ठीक है। अब से मैं आपसे हिन्दी में बात करूँगा।")

m("privacy.notice",
  "*Your data on Mana Mitra*\n"
  "• *What we use:* your WhatsApp number and name, your messages, and what you fill in a form (e.g. name, address, income).\n"
  "• *Why:* only to give the service you ask for (certificates, bookings, payments, grievances) and to update you on it, as the law allows departments to (DPDP Act, s.7(b)).\n"
  "• *Shared with:* the department that handles your request. WhatsApp (Meta) carries the messages for us. We never store Aadhaar numbers.\n"
  "• *Kept:* chats for 90 days; records only as long as the law requires.\n"
  "• *Your rights:* type MY DATA to see your data, CORRECT to fix it, DELETE MY DATA to erase it, COMPLAINT to complain (answered within 90 days), STOP to stop messages.\n"
  "• *Contact:* {contact}\n"
  "Full notice: {notice_url}",
  "*మన మిత్రలో మీ సమాచారం*\n"
  "• *ఏమి వాడతాం:* మీ వాట్సాప్ నంబరు, పేరు, మీ సందేశాలు, ఫారంలో మీరు ఇచ్చే వివరాలు (పేరు, చిరునామా, ఆదాయం వంటివి).\n"
  "• *ఎందుకు:* మీరు అడిగిన సేవ (సర్టిఫికెట్లు, బుకింగ్‌లు, చెల్లింపులు, ఫిర్యాదులు) అందించడానికి, దాని సమాచారం మీకు తెలపడానికి మాత్రమే; చట్టం (డీపీడీపీ చట్టం, సెక్షన్ 7(బి)) శాఖలకు ఈ అనుమతి ఇస్తుంది.\n"
  "• *ఎవరికి:* మీ పనిని చూసే శాఖకు మాత్రమే. సందేశాలను వాట్సాప్ (మెటా) మా తరఫున చేరవేస్తుంది. ఆధార్ నంబరును మేము భద్రపరచము.\n"
  "• *ఎంతకాలం:* చాట్‌లు 90 రోజులు; రికార్డులు చట్టం కోరినంత కాలమే.\n"
  "• *మీ హక్కులు:* మీ సమాచారం చూడటానికి \"నా సమాచారం\", సరిచేయడానికి \"సవరణ\", తొలగించడానికి \"నా సమాచారం తొలగించు\", ఫిర్యాదుకు \"ఫిర్యాదు\" (90 రోజుల్లో జవాబు), సందేశాలు ఆపడానికి \"ఆపు\" అని టైప్ చేయండి.\n"
  "• *సంప్రదించండి:* {contact}\n"
  "పూర్తి వివరాలు: {notice_url}",
  "*मन मित्र पर आपका डेटा*\n"
  "• *क्या लेते हैं:* आपका व्हाट्सऐप नंबर और नाम, आपके संदेश, और फ़ॉर्म में दी गई जानकारी (जैसे नाम, पता, आय)।\n"
  "• *क्यों:* केवल आपकी माँगी सेवा (प्रमाणपत्र, बुकिंग, भुगतान, शिकायत) देने और उसकी जानकारी भेजने के लिए, जैसा क़ानून विभागों को अनुमति देता है (डीपीडीपी अधिनियम, धारा 7(ख))।\n"
  "• *किसके साथ:* केवल आपका काम देखने वाले विभाग के साथ। संदेश व्हाट्सऐप (मेटा) हमारी ओर से पहुँचाता है। हम आधार नंबर नहीं रखते।\n"
  "• *कब तक:* चैट 90 दिन; रिकॉर्ड केवल क़ानून जितना कहे।\n"
  "• *आपके अधिकार:* डेटा देखने के लिए MY DATA, सुधार के लिए CORRECT, मिटाने के लिए DELETE MY DATA, शिकायत के लिए COMPLAINT (90 दिन में उत्तर), संदेश बंद करने के लिए STOP लिखें।\n"
  "• *संपर्क:* {contact}\n"
  "पूरी सूचना: {notice_url}")
m("privacy.accept.button", "OK, continue", "సరే, కొనసాగించండి", "ठीक है, आगे बढ़ें")
m("privacy.full.button", "Read full notice", "పూర్తి వివరాలు", "पूरी सूचना पढ़ें")
m("privacy.accepted", "Thank you. You can change your language any time by typing \"language\".",
  "ధన్యవాదాలు. ఎప్పుడైనా \"భాష\" అని టైప్ చేసి భాష మార్చుకోవచ్చు.",
  "धन्यवाद। आप कभी भी \"भाषा\" लिखकर भाषा बदल सकते हैं।")
m("consent.reminders.body",
  "Optional: would you like reminders (e.g. when a certificate is due for renewal) and short feedback surveys on WhatsApp? Your answer does not affect any service, and you can change it any time by typing STOP.",
  "ఐచ్ఛికం: రిమైండర్లు (ఉదా: సర్టిఫికెట్ పునరుద్ధరణ గడువు), చిన్న అభిప్రాయ సర్వేలు వాట్సాప్‌లో పంపమంటారా? మీ జవాబు ఏ సేవపైనా ప్రభావం చూపదు; ఎప్పుడైనా \"ఆపు\" అని టైప్ చేసి మార్చుకోవచ్చు.",
  "वैकल्पिक: क्या आप व्हाट्सऐप पर रिमाइंडर (जैसे प्रमाणपत्र नवीनीकरण की तारीख़) और छोटे फ़ीडबैक सर्वे चाहते हैं? आपके उत्तर से किसी सेवा पर असर नहीं पड़ेगा, और आप कभी भी STOP लिखकर इसे बदल सकते हैं।")
m("consent.yes.button", "Yes, send them", "అవును, పంపండి", "हाँ, भेजें")
m("consent.no.button", "No, thanks", "వద్దు, ధన్యవాదాలు", "नहीं, धन्यवाद")
m("consent.saved", "Saved. You can change this any time.",
  "మీ ఎంపిక నమోదైంది. ఎప్పుడైనా మార్చుకోవచ్చు.",
  "सहेज लिया। आप इसे कभी भी बदल सकते हैं।")

# ------------------------------------------------------------ main menu
m("menu.header", "Mana Mitra", "మన మిత్ర", "मन मित्र")
m("menu.body",
  "How can I help you today? Open the list to see popular services and departments, or just type what you need, for example \"income certificate\" or \"bus ticket\".",
  "ఈ రోజు మీకు ఏ సేవ కావాలి? ముఖ్యమైన సేవలు, శాఖల కోసం జాబితా తెరవండి, లేదా మీకు కావలసినది నేరుగా టైప్ చేయండి, ఉదా: \"ఆదాయ సర్టిఫికెట్\" లేదా \"బస్ టికెట్\".",
  "आज मैं आपकी क्या मदद करूँ? लोकप्रिय सेवाएँ और विभाग देखने के लिए सूची खोलें, या सीधे लिखें कि आपको क्या चाहिए, जैसे \"income certificate\" या \"bus ticket\"।")
m("menu.footer", "Type \"help\" for help", "సహాయానికి \"సహాయం\" అని టైప్ చేయండి", "मदद के लिए \"मदद\" लिखें")
m("menu.button", "View services", "సేవలు చూడండి", "सेवाएँ देखें")
m("menu.section.popular", "Quick access", "త్వరిత సేవలు", "जल्दी पहुँच")
m("menu.section.departments", "Departments", "శాఖలు", "विभाग")
m("menu.row.popular", "Popular services", "ముఖ్యమైన సేవలు", "लोकप्रिय सेवाएँ")
m("menu.row.popular.desc", "Certificates, bills, results, darshan, bus tickets",
  "సర్టిఫికెట్లు, బిల్లులు, ఫలితాలు, దర్శనం, బస్ టికెట్లు",
  "प्रमाणपत्र, बिल, परिणाम, दर्शन, बस टिकट")
m("menu.row.status", "Track my application", "నా దరఖాస్తు స్థితి", "मेरे आवेदन की स्थिति")
m("menu.row.status.desc", "Status of an application or grievance by its number",
  "నంబరుతో దరఖాస్తు లేదా ఫిర్యాదు స్థితి",
  "नंबर से आवेदन या शिकायत की स्थिति")
m("menu.row.grievance", "Register a grievance", "ఫిర్యాదు నమోదు", "शिकायत दर्ज करें")
m("menu.row.grievance.desc", "Any problem with any department (PGRS)",
  "ఏ శాఖలో ఏ సమస్య అయినా (PGRS)",
  "किसी भी विभाग से जुड़ी समस्या (PGRS)")
m("menu.row.more", "More...", "మరిన్ని...", "और...")
m("menu.row.more.desc", "Page {page} of {pages}", "{pages} పేజీల్లో {page}వ పేజీ", "पृष्ठ {page} / {pages}")
m("menu.type_hint",
  "Tip: you don't need the menu. Just type what you need in your own words, like \"caste certificate\", \"TTD darshan\" or \"current bill\".",
  "చిట్కా: మెనూ అవసరం లేదు. మీకు కావలసింది మీ మాటల్లోనే టైప్ చేయండి, ఉదా: \"కుల సర్టిఫికెట్\", \"తిరుమల దర్శనం\", \"కరెంటు బిల్లు\".",
  "सुझाव: मेनू ज़रूरी नहीं। जो चाहिए वह अपने शब्दों में लिखें, जैसे \"caste certificate\", \"TTD darshan\" या \"बिजली बिल\"।")
m("menu.greeting", "Namaskaram! Welcome back to Mana Mitra.",
  "నమస్కారం! మన మిత్రకు మళ్లీ స్వాగతం.",
  "नमस्ते! मन मित्र में फिर से स्वागत है।")

# ------------------------------------------------------------ lists
m("popular.list.body", "The services people use most:", "ఎక్కువ మంది వాడే సేవలు ఇవి:", "सबसे ज़्यादा उपयोग होने वाली सेवाएँ:")
m("popular.list.button", "Choose a service", "సేవను ఎంచుకోండి", "सेवा चुनें")
m("popular.list.section", "Popular services", "ముఖ్యమైన సేవలు", "लोकप्रिय सेवाएँ")
m("dept.list.body", "Choose a department ({page}/{pages}):",
  "శాఖను ఎంచుకోండి ({page}/{pages}):",
  "विभाग चुनें ({page}/{pages}):")
m("dept.list.button", "Departments", "శాఖలు", "विभाग")
m("dept.list.section", "Departments", "శాఖలు", "विभाग")
m("service.list.body", "Services of {department} ({page}/{pages}). Choose one:",
  "{department} సేవలు ({page}/{pages}). ఒకటి ఎంచుకోండి:",
  "{department} की सेवाएँ ({page}/{pages})। एक चुनें:")
m("service.list.button", "Services", "సేవలు", "सेवाएँ")
m("service.list.section", "Services", "సేవలు", "सेवाएँ")
m("service.list.empty", "{department} has no services here yet. Type \"menu\" to see others.",
  "{department} సేవలు ఇంకా ఇక్కడ అందుబాటులో లేవు. ఇతర సేవల కోసం \"మెనూ\" అని టైప్ చేయండి.",
  "{department} की सेवाएँ अभी यहाँ उपलब्ध नहीं हैं। दूसरी सेवाओं के लिए \"मेनू\" लिखें।")

# ------------------------------------------------------------ information
m("info.content", "*{service}*\n{content}", "*{service}*\n{content}", "*{service}*\n{content}")
m("info.documents", "*Documents required:*\n{documents}", "*కావలసిన పత్రాలు:*\n{documents}", "*ज़रूरी दस्तावेज़:*\n{documents}")
m("info.fee", "*Fee:* ₹{fee}", "*రుసుము:* ₹{fee}", "*शुल्क:* ₹{fee}")
m("info.no_fee", "*Fee:* none", "*రుసుము:* లేదు", "*शुल्क:* कोई नहीं")
m("info.sla", "Usually done within {days} days.", "సాధారణంగా {days} రోజుల్లో పూర్తవుతుంది.", "आमतौर पर {days} दिनों में पूरा होता है।")
m("info.office", "*Office:* {office}\n{address}", "*కార్యాలయం:* {office}\n{address}", "*कार्यालय:* {office}\n{address}")
m("info.contact", "*Contact:* {contact}", "*సంప్రదించండి:* {contact}", "*संपर्क:* {contact}")
m("info.apply.button", "Apply now", "ఇప్పుడే దరఖాస్తు", "अभी आवेदन करें")
m("info.menu.button", "Main menu", "ప్రధాన మెనూ", "मुख्य मेनू")
m("info.back.button", "Back", "వెనక్కి", "वापस")

# ------------------------------------------------------------ application
m("app.start",
  "Let's apply for *{service}*. I will ask {count} questions, one at a time. Type \"cancel\" at any time to stop.",
  "*{service}* కోసం దరఖాస్తు ప్రారంభిద్దాం. {count} ప్రశ్నలు ఒక్కొక్కటిగా అడుగుతాను. ఎప్పుడైనా ఆపాలంటే \"రద్దు\" అని టైప్ చేయండి.",
  "आइए *{service}* के लिए आवेदन करें। मैं {count} प्रश्न एक-एक करके पूछूँगा। कभी भी रोकने के लिए \"रद्द\" लिखें।")
m("app.ask", "({step}/{count}) Please send: *{label}*", "({step}/{count}) దయచేసి పంపండి: *{label}*", "({step}/{count}) कृपया भेजें: *{label}*")
m("app.ask.optional", "({step}/{count}) *{label}*\nThis is optional: type \"skip\" to leave it out.",
  "({step}/{count}) *{label}*\nఇది ఐచ్ఛికం: వదిలేయాలంటే \"వదిలేయి\" అని టైప్ చేయండి.",
  "({step}/{count}) *{label}*\nयह वैकल्पिक है: छोड़ने के लिए \"छोड़ें\" लिखें।")
m("app.ask.choice.body", "({step}/{count}) *{label}*\nOpen the list and choose one.",
  "({step}/{count}) *{label}*\nజాబితా తెరిచి ఒకటి ఎంచుకోండి.",
  "({step}/{count}) *{label}*\nसूची खोलकर एक चुनें।")
m("app.choice.button", "Choose", "ఎంచుకోండి", "चुनें")
m("app.skip.button", "Skip", "వదిలేయండి", "छोड़ें")
m("app.invalid", "Sorry, that answer doesn't fit *{label}*. {hint}\nPlease send it again.",
  "క్షమించండి, *{label}* కోసం ఈ జవాబు సరిపోలేదు. {hint}\nదయచేసి మళ్లీ పంపండి.",
  "क्षमा करें, *{label}* के लिए यह उत्तर सही नहीं है। {hint}\nकृपया फिर से भेजें।")
m("app.summary.body", "Please check your application for *{service}*:\n\n{summary}\n\nIs everything correct?",
  "*{service}* దరఖాస్తు వివరాలు సరిచూసుకోండి:\n\n{summary}\n\nఅన్నీ సరిగా ఉన్నాయా?",
  "*{service}* के आवेदन की जाँच करें:\n\n{summary}\n\nक्या सब सही है?")
m("app.confirm.button", "Confirm", "నిర్ధారించండి", "पुष्टि करें")
m("app.edit.button", "Edit", "మార్చండి", "बदलें")
m("app.cancel.button", "Cancel", "రద్దు చేయండి", "रद्द करें")
m("app.edit.body", "Which answer would you like to change?", "ఏ జవాబును మార్చాలనుకుంటున్నారు?", "आप कौन-सा उत्तर बदलना चाहते हैं?")
m("app.edit.section", "Your answers", "మీ జవాబులు", "आपके उत्तर")
m("app.confirmed",
  "Your application *{ref}* for {service} has been submitted. It is expected by *{due_date}*. Keep this number; type \"status {ref}\" any time to check on it.",
  "{service} కోసం మీ దరఖాస్తు *{ref}* సమర్పించబడింది. *{due_date}* లోగా పూర్తవుతుందని అంచనా. ఈ నంబరు దాచుకోండి; స్థితి తెలుసుకోవాలంటే ఎప్పుడైనా \"స్థితి {ref}\" అని టైప్ చేయండి.",
  "{service} के लिए आपका आवेदन *{ref}* जमा हो गया है। यह *{due_date}* तक पूरा होने की उम्मीद है। यह नंबर संभालकर रखें; स्थिति जानने के लिए कभी भी \"स्थिति {ref}\" लिखें।")
m("app.cancelled", "Your application for {service} was cancelled. Nothing was submitted.",
  "{service} దరఖాస్తు రద్దు చేయబడింది. ఏదీ సమర్పించలేదు.",
  "{service} का आवेदन रद्द कर दिया गया। कुछ भी जमा नहीं हुआ।")
m("app.documents.note", "Keep these documents ready; the officer may ask to see them:\n{documents}",
  "ఈ పత్రాలు సిద్ధంగా ఉంచుకోండి; అధికారి చూపించమని అడగవచ్చు:\n{documents}",
  "ये दस्तावेज़ तैयार रखें; अधिकारी इन्हें देखने को कह सकते हैं:\n{documents}")

# ------------------------------------------------------------ an officer's decision (mmctl app)
m("app.issued",
  "Your {service} for application *{ref}* has been approved and issued.\nCertificate number: *{number}*\nAnyone can check that it is genuine here: {link}",
  "దరఖాస్తు *{ref}* పై మీ {service} ఆమోదించబడి జారీ చేయబడింది.\nసర్టిఫికెట్ నంబరు: *{number}*\nఇది నిజమైనదో కాదో ఎవరైనా ఇక్కడ తనిఖీ చేయవచ్చు: {link}",
  "आवेदन *{ref}* पर आपका {service} स्वीकृत होकर जारी कर दिया गया है।\nप्रमाणपत्र संख्या: *{number}*\nयह असली है या नहीं, कोई भी यहाँ जाँच सकता है: {link}")
m("app.rejected",
  "Your application *{ref}* for {service} was not approved.\nReason: {reason}",
  "{service} కోసం మీ దరఖాస్తు *{ref}* ఆమోదించబడలేదు.\nకారణం: {reason}",
  "{service} के लिए आपका आवेदन *{ref}* स्वीकृत नहीं हुआ।\nकारण: {reason}")

# ------------------------------------------------------------ status lookup
m("status.ask", "Please send your application or reference number (for example {example}).",
  "దయచేసి మీ దరఖాస్తు లేదా రిఫరెన్స్ నంబరు పంపండి (ఉదా: {example}).",
  "कृपया अपना आवेदन या संदर्भ नंबर भेजें (जैसे {example})।")
m("status.result", "*{ref}*: {status}\n{service}\nLast updated: {updated}",
  "*{ref}*: {status}\n{service}\nచివరి మార్పు: {updated}",
  "*{ref}*: {status}\n{service}\nअंतिम अपडेट: {updated}")
m("status.history.header", "History:", "పురోగతి:", "इतिहास:")
m("status.history.line", "{date}: {status}{note}", "{date}: {status}{note}", "{date}: {status}{note}")
m("status.due", "Expected by {due_date}.", "{due_date} లోగా పూర్తవుతుందని అంచనా.", "{due_date} तक पूरा होने की उम्मीद है।")
m("status.not_found",
  "I couldn't find *{ref}*. Please check the number and send it again, or type \"menu\".",
  "*{ref}* నంబరుతో ఏ దరఖాస్తూ కనిపించలేదు. నంబరు సరిచూసి మళ్లీ పంపండి, లేదా \"మెనూ\" అని టైప్ చేయండి.",
  "*{ref}* नहीं मिला। कृपया नंबर जाँचकर फिर भेजें, या \"मेनू\" लिखें।")
# one a status the schema allows (sql/004_requests.sql): applications ...
m("status.submitted", "Submitted", "సమర్పించబడింది", "जमा किया गया")
m("status.in_review", "Under review", "పరిశీలనలో ఉంది", "जाँच में")
m("status.approved", "Approved", "ఆమోదించబడింది", "स्वीकृत")
m("status.rejected", "Rejected", "తిరస్కరించబడింది", "अस्वीकृत")
m("status.issued", "Issued", "జారీ చేయబడింది", "जारी किया गया")
# ... and grievances
m("status.registered", "Registered", "నమోదైంది", "दर्ज किया गया")
m("status.in_progress", "In progress", "ప్రక్రియలో ఉంది", "कार्रवाई जारी है")
m("status.resolved", "Resolved", "పరిష్కరించబడింది", "हल किया गया")
m("status.closed", "Closed", "ముగించబడింది", "बंद किया गया")
m("status.rejected.reason", "Reason: {reason}", "కారణం: {reason}", "कारण: {reason}")

# ------------------------------------------------------------ grievance
m("grievance.category.body", "What is your complaint about? Open the list and choose the closest one.",
  "మీ ఫిర్యాదు దేని గురించి? జాబితా తెరిచి దగ్గరగా సరిపోయేదాన్ని ఎంచుకోండి.",
  "आपकी शिकायत किस बारे में है? सूची खोलकर सबसे नज़दीकी विकल्प चुनें।")
m("grievance.category.button", "Choose category", "విభాగం ఎంచుకోండి", "श्रेणी चुनें")
m("grievance.description",
  "Please describe the problem in a few lines: what happened, where, and since when.",
  "సమస్యను కొన్ని వాక్యాల్లో వివరించండి: ఏమి జరిగింది, ఎక్కడ, ఎప్పటి నుంచి.",
  "कृपया समस्या कुछ पंक्तियों में बताइए: क्या हुआ, कहाँ और कब से।")
m("grievance.photo", "If you have a photo of the problem, send it now. Otherwise type \"skip\".",
  "సమస్యకు సంబంధించిన ఫోటో ఉంటే ఇప్పుడు పంపండి. లేకపోతే \"వదిలేయి\" అని టైప్ చేయండి.",
  "अगर समस्या की फ़ोटो है तो अभी भेजें। नहीं तो \"छोड़ें\" लिखें।")
m("grievance.location", "You can share the place: tap 📎 and choose Location. Otherwise type \"skip\".",
  "స్థలాన్ని పంపవచ్చు: 📎 నొక్కి లొకేషన్ ఎంచుకోండి. లేకపోతే \"వదిలేయి\" అని టైప్ చేయండి.",
  "आप जगह भेज सकते हैं: 📎 दबाकर लोकेशन चुनें। नहीं तो \"छोड़ें\" लिखें।")
m("grievance.registered",
  "Your grievance *{ref}* has been registered with {department}. It should be resolved by *{due_date}*. You will get updates here; type \"status {ref}\" to check.",
  "మీ ఫిర్యాదు *{ref}* {department}లో నమోదైంది. *{due_date}* లోగా పరిష్కారం కావాలి. సమాచారం ఇక్కడే అందుతుంది; స్థితి కోసం \"స్థితి {ref}\" అని టైప్ చేయండి.",
  "आपकी शिकायत *{ref}* {department} में दर्ज हो गई है। इसका समाधान *{due_date}* तक होना चाहिए। जानकारी यहीं मिलेगी; स्थिति के लिए \"स्थिति {ref}\" लिखें।")
m("grievance.resolved",
  "Your grievance *{ref}* has been marked resolved: {note}\nNot satisfied? Type \"reopen {ref}\".",
  "మీ ఫిర్యాదు *{ref}* పరిష్కరించినట్లు నమోదైంది: {note}\nసంతృప్తి లేకపోతే \"reopen {ref}\" అని టైప్ చేయండి.",
  "आपकी शिकायत *{ref}* हल के रूप में दर्ज हुई: {note}\nसंतुष्ट नहीं हैं? \"reopen {ref}\" लिखें।")

# ------------------------------------------------------------ instant documents and payments
m("instant.soon",
  "Getting *{service}* right here on WhatsApp is coming soon. Until then you can get it at a MeeSeva centre or your village or ward secretariat.",
  "*{service}* ను ఇక్కడే వాట్సాప్‌లో పొందే సౌకర్యం త్వరలో వస్తుంది. అప్పటివరకు మీసేవ కేంద్రంలో లేదా మీ గ్రామ/వార్డు సచివాలయంలో పొందవచ్చు.",
  "*{service}* यहीं व्हाट्सऐप पर जल्द मिलेगा। तब तक आप इसे मीसेवा केंद्र या अपने ग्राम/वार्ड सचिवालय से ले सकते हैं।")
m("payment.soon",
  "Paying for *{service}* on WhatsApp is coming soon. Until then please use the department's website, a MeeSeva centre or your secretariat.",
  "*{service}* చెల్లింపు వాట్సాప్‌లో త్వరలో అందుబాటులోకి వస్తుంది. అప్పటివరకు శాఖ వెబ్‌సైట్, మీసేవ కేంద్రం లేదా మీ సచివాలయం ద్వారా చెల్లించండి.",
  "*{service}* का भुगतान व्हाट्सऐप पर जल्द शुरू होगा। तब तक विभाग की वेबसाइट, मीसेवा केंद्र या अपने सचिवालय से भुगतान करें।")
m("instant.ready",
  "Here is your {service}, {holder}.\nNumber: *{number}*\nAnyone can check that it is genuine here: {link}",
  "{holder} గారూ, మీ {service} ఇదిగో.\nనంబరు: *{number}*\nఇది నిజమైనదో కాదో ఎవరైనా ఇక్కడ తనిఖీ చేయవచ్చు: {link}",
  "{holder}, यह रहा आपका {service}।\nसंख्या: *{number}*\nयह असली है या नहीं, कोई भी यहाँ जाँच सकता है: {link}")

# ------------------------------------------------------------ search
m("search.results.body", "I found these for \"{query}\":", "\"{query}\" కోసం ఇవి దొరికాయి:", "\"{query}\" के लिए ये मिले:")
m("search.results.button", "See results", "ఫలితాలు చూడండి", "परिणाम देखें")
m("search.results.section", "Matching services", "సరిపోయే సేవలు", "मिलती सेवाएँ")
m("search.none",
  "Sorry, I couldn't find a service for \"{query}\". Try other words (for example \"ration card\"), or type \"menu\" to browse all departments.",
  "క్షమించండి, \"{query}\" కు సరిపోయే సేవ దొరకలేదు. వేరే మాటలతో ప్రయత్నించండి (ఉదా: \"రేషన్ కార్డు\"), లేదా అన్ని శాఖలు చూడటానికి \"మెనూ\" అని టైప్ చేయండి.",
  "क्षमा करें, \"{query}\" के लिए कोई सेवा नहीं मिली। दूसरे शब्द आज़माएँ (जैसे \"ration card\"), या सभी विभाग देखने के लिए \"मेनू\" लिखें।")

# ------------------------------------------------------------ help, global words, session
m("help.text",
  "You can type what you need in your own words, or use these words any time:\n"
  "• *menu*: main menu\n• *back*: previous step\n• *status*: track an application\n"
  "• *cancel*: stop the current form\n• *language*: change language\n"
  "• *my data*, *correct*, *delete my data*: your data rights\n"
  "• *certificates*: your certificates, sent again\n"
  "• *stop*: stop messages from Mana Mitra\n"
  "Emergency: dial 112.",
  "మీకు కావలసింది మీ మాటల్లో టైప్ చేయవచ్చు, లేదా ఎప్పుడైనా ఈ పదాలు వాడండి:\n"
  "• *మెనూ*: ప్రధాన మెనూ\n• *వెనక్కి*: ముందటి దశ\n• *స్థితి*: దరఖాస్తు స్థితి\n"
  "• *రద్దు*: ప్రస్తుత ఫారం ఆపడం\n• *భాష*: భాష మార్పు\n"
  "• *నా సమాచారం*, *సవరణ*, *నా సమాచారం తొలగించు*: మీ సమాచార హక్కులు\n"
  "• *సర్టిఫికెట్లు*: మీ సర్టిఫికెట్లు మళ్ళీ పొందడం\n"
  "• *ఆపు*: మన మిత్ర సందేశాలు ఆపడం\n"
  "అత్యవసరమైతే 112కు డయల్ చేయండి.",
  "आप जो चाहिए अपने शब्दों में लिख सकते हैं, या कभी भी ये शब्द इस्तेमाल करें:\n"
  "• *मेनू*: मुख्य मेनू\n• *पीछे*: पिछला चरण\n• *स्थिति*: आवेदन की स्थिति\n"
  "• *रद्द*: मौजूदा फ़ॉर्म रोकें\n• *भाषा*: भाषा बदलें\n"
  "• *मेरा डेटा*, *सुधार*, *मेरा डेटा हटाएं*: आपके डेटा अधिकार\n"
  "• *प्रमाणपत्र*: अपने प्रमाणपत्र फिर से पाएँ\n"
  "• *रोकें*: मन मित्र के संदेश बंद करें\n"
  "आपातकाल में 112 डायल करें।")
m("session.expired",
  "Your unfinished form for {service} was closed because there was no reply for a while. Nothing was submitted; type \"menu\" to start again.",
  "కొంతసేపు జవాబు రాకపోవడంతో {service} కోసం మీరు నింపుతున్న ఫారం మూసివేయబడింది. ఏదీ సమర్పించలేదు; మళ్లీ ప్రారంభించడానికి \"మెనూ\" అని టైప్ చేయండి.",
  "कुछ समय तक जवाब न मिलने से {service} का आपका अधूरा फ़ॉर्म बंद कर दिया गया। कुछ भी जमा नहीं हुआ; फिर से शुरू करने के लिए \"मेनू\" लिखें।")
m("session.cancelled", "Stopped. Nothing was submitted. Type \"menu\" whenever you need something.",
  "ఆపేశాం. ఏదీ సమర్పించలేదు. ఏదైనా కావాలంటే \"మెనూ\" అని టైప్ చేయండి.",
  "रोक दिया। कुछ भी जमा नहीं हुआ। जब भी ज़रूरत हो \"मेनू\" लिखें।")
m("session.nothing_to_go_back", "There is no earlier step. Type \"menu\" for the main menu.",
  "ఇంతకు ముందు దశ ఏదీ లేదు. ప్రధాన మెనూ కోసం \"మెనూ\" అని టైప్ చేయండి.",
  "इससे पहले कोई चरण नहीं है। मुख्य मेनू के लिए \"मेनू\" लिखें।")
m("stop.done",
  "You will not get any more messages from Mana Mitra, and your optional consents are withdrawn. Applications already submitted will still be processed. Type \"start\" any time to come back.",
  "ఇకపై మన మిత్ర నుంచి మీకు సందేశాలు రావు, మీ ఐచ్ఛిక అనుమతులు ఉపసంహరించబడ్డాయి. ఇప్పటికే ఇచ్చిన దరఖాస్తులు యథావిధిగా పరిశీలిస్తారు. మళ్లీ రావాలంటే ఎప్పుడైనా \"ప్రారంభం\" అని టైప్ చేయండి.",
  "अब आपको मन मित्र से कोई संदेश नहीं मिलेगा, और आपकी वैकल्पिक सहमतियाँ वापस ले ली गई हैं। पहले से जमा आवेदनों पर काम जारी रहेगा। वापस आने के लिए कभी भी \"शुरू\" लिखें।")
m("stop.resumed", "Welcome back! Messages from Mana Mitra are on again.",
  "మళ్లీ స్వాగతం! మన మిత్ర సందేశాలు మళ్లీ ప్రారంభమయ్యాయి.",
  "फिर से स्वागत है! मन मित्र के संदेश फिर से चालू हैं।")

# ------------------------------------------------------------ data rights
m("rights.my_data",
  "Here is what Mana Mitra holds about you:\n{summary}\nShared with: {recipients}\nFor a correction type \"correct\"; to erase type \"delete my data\".\n{contact}",
  "మన మిత్ర వద్ద మీ గురించి ఉన్న సమాచారం:\n{summary}\nపంచుకున్నది: {recipients}\nసవరణకు \"సవరణ\", తొలగించడానికి \"నా సమాచారం తొలగించు\" అని టైప్ చేయండి.\n{contact}",
  "मन मित्र के पास आपके बारे में यह जानकारी है:\n{summary}\nकिसके साथ साझा: {recipients}\nसुधार के लिए \"सुधार\", मिटाने के लिए \"मेरा डेटा हटाएं\" लिखें।\n{contact}")
m("rights.correct",
  "Tell me what is wrong and what it should be. A correction request {ref} will go to the department.",
  "ఏది తప్పుగా ఉంది, ఎలా ఉండాలో తెలపండి. సవరణ అభ్యర్థన {ref} సంబంధిత శాఖకు వెళ్తుంది.",
  "बताइए क्या ग़लत है और क्या होना चाहिए। सुधार अनुरोध {ref} विभाग को भेजा जाएगा।")
m("rights.delete.body",
  "This erases your chats and the personal details in your forms. Certificates already issued stay valid. Applications in progress will be closed. Erase now?",
  "దీంతో మీ చాట్‌లు, ఫారాల్లోని వ్యక్తిగత వివరాలు తొలగిపోతాయి. ఇప్పటికే జారీ అయిన సర్టిఫికెట్లు చెల్లుబాటులోనే ఉంటాయి. ప్రక్రియలో ఉన్న దరఖాస్తులు మూసివేయబడతాయి. ఇప్పుడే తొలగించాలా?",
  "इससे आपकी चैट और फ़ॉर्म की निजी जानकारी मिट जाएगी। पहले से जारी प्रमाणपत्र मान्य रहेंगे। चल रहे आवेदन बंद हो जाएँगे। अभी मिटाएँ?")
m("rights.delete.yes.button", "Yes, erase", "అవును, తొలగించండి", "हाँ, मिटाएँ")
m("rights.delete.no.button", "No, keep it", "వద్దు, ఉంచండి", "नहीं, रहने दें")
m("rights.deleted", "Your data has been erased. Thank you for using Mana Mitra.",
  "మీ సమాచారం తొలగించబడింది. మన మిత్రను ఉపయోగించినందుకు ధన్యవాదాలు.",
  "आपका डेटा मिटा दिया गया है। मन मित्र इस्तेमाल करने के लिए धन्यवाद।")
m("rights.complaint",
  "Your data protection complaint *{ref}* is registered. You will get a reply by *{due_date}*.\n{contact}",
  "మీ సమాచార భద్రత ఫిర్యాదు *{ref}* నమోదైంది. *{due_date}* లోగా జవాబు అందుతుంది.\n{contact}",
  "आपकी डेटा सुरक्षा शिकायत *{ref}* दर्ज हो गई है। *{due_date}* तक उत्तर मिलेगा।\n{contact}")

# ------------------------------------------------------------ errors
m("error.generic", "Sorry, something went wrong on our side. Please try again in a moment.",
  "క్షమించండి, మా వైపు ఏదో సమస్య వచ్చింది. దయచేసి కాసేపట్లో మళ్లీ ప్రయత్నించండి.",
  "क्षमा करें, हमारी ओर से कुछ गड़बड़ हो गई। कृपया थोड़ी देर में फिर कोशिश करें।")
m("error.unsupported",
  "Sorry, I can read text, buttons and lists, and photos or locations when a form asks for them. Please type your request.",
  "క్షమించండి, నేను టెక్స్ట్, బటన్లు, జాబితాలను, ఫారం అడిగినప్పుడు ఫోటోలు, లొకేషన్లను మాత్రమే చదవగలను. దయచేసి మీ అభ్యర్థనను టైప్ చేయండి.",
  "क्षमा करें, मैं टेक्स्ट, बटन और सूचियाँ पढ़ सकता हूँ, और फ़ॉर्म माँगे तो फ़ोटो या लोकेशन। कृपया अपना अनुरोध लिखें।")
m("error.service_unavailable", "{service} is not available right now. Please try later or type \"menu\".",
  "{service} ప్రస్తుతం అందుబాటులో లేదు. దయచేసి తర్వాత ప్రయత్నించండి లేదా \"మెనూ\" అని టైప్ చేయండి.",
  "{service} अभी उपलब्ध नहीं है। कृपया बाद में कोशिश करें या \"मेनू\" लिखें।")
m("error.too_many", "You are sending messages very fast. Please wait a minute and try again.",
  "మీరు చాలా వేగంగా సందేశాలు పంపుతున్నారు. దయచేసి ఒక నిమిషం ఆగి మళ్లీ ప్రయత్నించండి.",
  "आप बहुत तेज़ी से संदेश भेज रहे हैं। कृपया एक मिनट रुककर फिर कोशिश करें।")

# ------------------------------------------------------------ validation (one per field kind)
m("validation.text", "Please type it in words (at least 2 letters).", "దయచేసి అక్షరాల్లో టైప్ చేయండి (కనీసం 2 అక్షరాలు).", "कृपया शब्दों में लिखें (कम से कम 2 अक्षर)।")
m("validation.name", "Please type the name in letters only, as in your Aadhaar.", "ఆధార్‌లో ఉన్నట్లుగా పేరును అక్షరాల్లో మాత్రమే టైప్ చేయండి.", "कृपया नाम केवल अक्षरों में लिखें, जैसा आधार में है।")
m("validation.number", "Please send a number, using digits only.", "దయచేసి అంకెల్లో మాత్రమే సంఖ్య పంపండి.", "कृपया केवल अंकों में संख्या भेजें।")
m("validation.amount", "Please send the amount in rupees using digits, for example 120000.", "మొత్తాన్ని రూపాయల్లో అంకెల్లో పంపండి, ఉదా: 120000.", "कृपया राशि रुपयों में अंकों में भेजें, जैसे 120000।")
m("validation.date", "Please send the date as DD-MM-YYYY, for example 15-08-1990.", "తేదీని రోజు-నెల-సంవత్సరం రూపంలో పంపండి, ఉదా: 15-08-1990.", "कृपया तारीख़ DD-MM-YYYY में भेजें, जैसे 15-08-1990।")
m("validation.date_future", "That date is in the future. Please check it.", "ఆ తేదీ ఇంకా రాలేదు. దయచేసి సరిచూడండి.", "यह तारीख़ भविष्य की है। कृपया जाँचें।")
m("validation.phone", "Please send a 10-digit mobile number starting with 6, 7, 8 or 9.", "6, 7, 8 లేదా 9తో మొదలయ్యే 10 అంకెల మొబైల్ నంబరు పంపండి.", "कृपया 6, 7, 8 या 9 से शुरू होने वाला 10 अंकों का मोबाइल नंबर भेजें।")
m("validation.email", "Please send a valid email address, like name@example.com.", "సరైన ఈమెయిల్ చిరునామా పంపండి, ఉదా: name@example.com.", "कृपया सही ईमेल पता भेजें, जैसे name@example.com।")
m("validation.pincode", "Please send a 6-digit PIN code, for example 522001.", "6 అంకెల పిన్ కోడ్ పంపండి, ఉదా: 522001.", "कृपया 6 अंकों का पिन कोड भेजें, जैसे 522001।")
m("validation.aadhaar", "That is not a valid Aadhaar number. Please check the 12 digits, or type \"skip\".", "ఇది సరైన ఆధార్ నంబరు కాదు. 12 అంకెలు సరిచూడండి, లేదా \"వదిలేయి\" అని టైప్ చేయండి.", "यह मान्य आधार नंबर नहीं है। कृपया 12 अंक जाँचें, या \"छोड़ें\" लिखें।")
m("validation.ifsc", "Please send the 11-character IFSC code from your passbook, for example SBIN0001234.", "మీ పాస్‌బుక్‌లోని 11 అక్షరాల ఐఎఫ్ఎస్సీ కోడ్ పంపండి, ఉదా: SBIN0001234.", "कृपया पासबुक से 11 अक्षरों का IFSC कोड भेजें, जैसे SBIN0001234।")
m("validation.district", "Please choose your district from the list.", "దయచేసి జాబితా నుంచి మీ జిల్లాను ఎంచుకోండి.", "कृपया सूची से अपना ज़िला चुनें।")
m("validation.choice", "Please choose one of the options in the list.", "దయచేసి జాబితాలోని ఒక ఎంపికను ఎంచుకోండి.", "कृपया सूची में से एक विकल्प चुनें।")
m("validation.reference", "That doesn't look like a reference number. Please copy it exactly from your receipt.", "ఇది రిఫరెన్స్ నంబరులా లేదు. మీ రసీదులో ఉన్నట్లుగానే పంపండి.", "यह संदर्भ नंबर जैसा नहीं लगता। कृपया रसीद से ठीक वैसा ही भेजें।")
m("validation.photo", "Please send a photo (tap 📎, then Camera or Gallery).", "దయచేసి ఫోటో పంపండి (📎 నొక్కి కెమెరా లేదా గ్యాలరీ ఎంచుకోండి).", "कृपया फ़ोटो भेजें (📎 दबाकर कैमरा या गैलरी चुनें)।")
m("validation.location", "Please share a location (tap 📎, then Location).", "దయచేసి లొకేషన్ పంపండి (📎 నొక్కి లొకేషన్ ఎంచుకోండి).", "कृपया लोकेशन भेजें (📎 दबाकर लोकेशन चुनें)।")
m("validation.required", "This answer is needed to process your application.", "మీ దరఖాస్తు పరిశీలనకు ఈ జవాబు తప్పనిసరి.", "आपके आवेदन के लिए यह उत्तर ज़रूरी है।")
m("validation.too_long", "That is too long. Please keep it under {max} characters.", "ఇది చాలా పొడవుగా ఉంది. {max} అక్షరాల లోపు ఉంచండి.", "यह बहुत लंबा है। कृपया {max} अक्षरों से कम रखें।")

# ------------------------------------------------------------ navigation buttons
m("nav.back.button", "Back", "వెనక్కి", "वापस")
m("nav.menu.button", "Main menu", "ప్రధాన మెనూ", "मुख्य मेनू")
m("nav.more.button", "More", "మరిన్ని", "और")
m("common.yes.button", "Yes", "అవును", "हाँ")
m("common.no.button", "No", "కాదు", "नहीं")

# ------------------------------------------------------------ global words (comma-separated)
m("words.menu", "menu,home,hi,hello,start,main menu", "మెనూ,హాయ్,హలో,నమస్కారం,నమస్తే,ప్రారంభం", "मेनू,नमस्ते,होम,शुरू")
m("words.back", "back,previous", "వెనక్కి,వెనుకకు", "पीछे,वापस")
m("words.help", "help,?", "సహాయం,సాయం,హెల్ప్", "मदद,सहायता")
m("words.language", "language,lang", "భాష,లాంగ్వేజ్", "भाषा")
m("words.status", "status,track", "స్థితి,స్టేటస్", "स्थिति,स्टेटस")
m("words.cancel", "cancel,quit,exit", "రద్దు,వద్దు,క్యాన్సిల్", "रद्द,कैंसल")
m("words.stop", "stop,unsubscribe", "ఆపు,ఆపండి,స్టాప్", "रोकें,बंद करें,स्टॉप")
m("words.yes", "yes,y,ok,okay,confirm", "అవును,సరే,ఓకే", "हाँ,हां,ठीक है,ओके")
m("words.no", "no,n", "కాదు,లేదు", "नहीं,ना")
m("words.skip", "skip", "వదిలేయి,స్కిప్", "छोड़ें,स्किप")
m("words.more", "more,next", "మరిన్ని,తరువాత", "और,अगला")
m("words.certificates", "certificates,my certificates,documents,my documents",
  "సర్టిఫికెట్లు,నా సర్టిఫికెట్లు,పత్రాలు,నా పత్రాలు,ధృవపత్రాలు",
  "प्रमाणपत्र,मेरे प्रमाणपत्र,दस्तावेज़,मेरे दस्तावेज़")
m("words.my_data", "my data", "నా సమాచారం", "मेरा डेटा")
m("words.correct", "correct,correction", "సవరణ,సరిచేయండి", "सुधार")
m("words.delete_data", "delete my data,erase my data", "నా సమాచారం తొలగించు", "मेरा डेटा हटाएं")
m("words.complaint", "complaint", "ఫిర్యాదు", "शिकायत")

# ------------------------------------------------------------ instant documents: the lookup
m("instant.document",
  "Here is your {service}, {holder}.\nNumber: *{number}*\nThe QR code on it lets anyone check that it is genuine.",
  "{holder} గారూ, మీ {service} ఇదిగో.\nనంబరు: *{number}*\nదానిపై ఉన్న QR కోడ్‌తో ఇది నిజమైనదో కాదో ఎవరైనా తనిఖీ చేయవచ్చు.",
  "{holder}, यह रहा आपका {service}।\nसंख्या: *{number}*\nइस पर बने QR कोड से कोई भी जाँच सकता है कि यह असली है।")
m("instant.start",
  "To get your {service} here at once, please answer {count} questions.",
  "మీ {service} ను ఇక్కడే వెంటనే పొందడానికి దయచేసి {count} ప్రశ్నలకు సమాధానం ఇవ్వండి.",
  "अपना {service} यहीं तुरंत पाने के लिए कृपया {count} सवालों के जवाब दें।")
m("instant.not_found",
  "No {service} matches those details. Please check them and try again.",
  "ఈ వివరాలతో ఏ {service} సరిపోలలేదు. దయచేసి వివరాలు సరిచూసి మళ్ళీ ప్రయత్నించండి.",
  "इन विवरणों से कोई {service} नहीं मिला। कृपया विवरण जाँचकर फिर से कोशिश करें।")
m("instant.cooldown",
  "Too many attempts with details that match no {service}. To keep everyone's documents safe, please try again in {minutes} minutes.",
  "ఏ {service} తోనూ సరిపోలని వివరాలతో చాలా ప్రయత్నాలు జరిగాయి. అందరి పత్రాల భద్రత కోసం దయచేసి {minutes} నిమిషాల తర్వాత మళ్ళీ ప్రయత్నించండి.",
  "ऐसे विवरणों से बहुत बार कोशिश हुई जो किसी {service} से नहीं मिलते। सबके दस्तावेज़ सुरक्षित रखने के लिए कृपया {minutes} मिनट बाद फिर कोशिश करें।")


# ------------------------------------------------------------ a citizen's certificates, again
m("certs.none",
  "No certificate has been issued to this number yet. When one is, type *certificates* any time to get it again.",
  "ఈ నంబరుకు ఇంకా ఏ సర్టిఫికెట్ జారీ కాలేదు. జారీ అయ్యాక, మళ్ళీ పొందడానికి ఎప్పుడైనా *సర్టిఫికెట్లు* అని టైప్ చేయండి.",
  "इस नंबर पर अभी तक कोई प्रमाणपत्र जारी नहीं हुआ है। जारी होने पर उसे फिर से पाने के लिए कभी भी *प्रमाणपत्र* लिखें।")
m("certs.list.body",
  "Your certificates. Choose one to get it again.",
  "మీ సర్టిఫికెట్లు. మళ్ళీ పొందడానికి ఒకటి ఎంచుకోండి.",
  "आपके प्रमाणपत्र। फिर से पाने के लिए एक चुनें।")
m("certs.list.button", "Certificates", "సర్టిఫికెట్లు", "प्रमाणपत्र")
m("certs.list.section", "Issued to you", "మీకు జారీ అయినవి", "आपको जारी")
m("certs.row.desc", "{number}, issued {date}", "{number}, జారీ {date}",
  "{number}, जारी {date}")
m("certs.document",
  "Your {service}\nCertificate number: *{number}*\nThe QR code on it lets anyone check that it is genuine.",
  "మీ {service}\nసర్టిఫికెట్ నంబరు: *{number}*\nదానిపై ఉన్న QR కోడ్‌తో ఇది నిజమైనదో కాదో ఎవరైనా తనిఖీ చేయవచ్చు.",
  "आपका {service}\nप्रमाणपत्र संख्या: *{number}*\nइस पर बने QR कोड से कोई भी जाँच सकता है कि यह असली है।")
m("certs.link",
  "Your {service}\nCertificate number: *{number}*\nAnyone can check that it is genuine here: {link}",
  "మీ {service}\nసర్టిఫికెట్ నంబరు: *{number}*\nఇది నిజమైనదో కాదో ఎవరైనా ఇక్కడ తనిఖీ చేయవచ్చు: {link}",
  "आपका {service}\nप्रमाणपत्र संख्या: *{number}*\nयह असली है या नहीं, कोई भी यहाँ जाँच सकता है: {link}")
m("certs.not_found",
  "That certificate is not one of yours, or it is no longer valid.",
  "ఆ సర్టిఫికెట్ మీది కాదు, లేదా అది ఇప్పుడు చెల్లదు.",
  "वह प्रमाणपत्र आपका नहीं है, या अब मान्य नहीं है।")


def main():
    doc = {"format": "mana-i18n/1", "messages": {
        "en": {k: v[0] for k, v in M.items()},
        "te": {k: v[1] for k, v in M.items()},
        "hi": {k: v[2] for k, v in M.items() if v[2] is not None},
    }}
    path = os.path.join(SEED, "messages.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"messages: {len(M)} keys")


if __name__ == "__main__":
    main()
