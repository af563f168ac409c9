# Interface strings, Kazakh. Briefing text itself comes from src/content, never from here.

language-name = Қазақша
# The Kazakh choices in the language picker; the Latin and the Arabic-script (төте) ones are shown transliterated:
# "Qazaqşa (latyn)", "قازاقشا (توتە)".
language-name-cyrl = Қазақша (кирилл)
language-name-latn = Қазақша (латын)
language-name-arab = Қазақша (төте)

date = { $year } жылғы { $day } { $month ->
    [1] қаңтар
    [2] ақпан
    [3] наурыз
    [4] сәуір
    [5] мамыр
    [6] маусым
    [7] шілде
    [8] тамыз
    [9] қыркүйек
    [10] қазан
    [11] қараша
   *[12] желтоқсан
}
# The date as an adverbial ("when"): the month takes the locative ending.
date-locative = { $year } жылғы { $day } { $month ->
    [1] қаңтарда
    [2] ақпанда
    [3] наурызда
    [4] сәуірде
    [5] мамырда
    [6] маусымда
    [7] шілдеде
    [8] тамызда
    [9] қыркүйекте
    [10] қазанда
    [11] қарашада
   *[12] желтоқсанда
}

## Sections: menu buttons and headings
section-home = Басты мәзір
section-overview = 📰 Шолу
section-timeline = 📅 Күндер бойынша
section-agreements = ✍️ Келісімдер
section-sectors = 🧭 Бағыттар
section-quotes = 💬 Сарапшы пікірі
section-figures = 📊 Негізгі сандар
section-priorities = 🎯 Басымдықтар
section-outlook = 🔭 Болашақ
section-about = ℹ️ Дереккөз

home-prompt = Бөлімді таңдаңыз.
source-line = Дереккөз: { $name }, { $date }{ $original ->
    [ru] {" "}(орыс тілінде)
   *[other] {""}
}
about-text = Бұл брифинг { $source } сайтында { $date } жарияланған мақала негізінде жасалды (авторы — { $author }).
about-method = Әр дерек осы мақаладан алынған: мақалада жоқ дерек ботта да жоқ. Сарапшының сөздері түпнұсқадағыдай, қазақ тілінде беріледі; орыс тіліндегі нұсқасы — аударма.
quote-translation-note = Қазақ тілінен аударма
quote-original-label = Түпнұсқа:
quote-transliteration-note = Кирилл жазуынан латын әліпбиіне транслитерация
quote-transliteration-note-arab = Кирилл жазуынан төте жазуға транслитерация
button-cyrillic-original = Кириллицадағы түпнұсқа
quote-button = Пікір { $number }

## Buttons
button-back = Артқа
button-home = Мәзір
button-previous = Алдыңғы
button-next = Келесі
# Previous and Next at the ends of a list, where they wrap around to the other end.
button-to-last = Соңына
button-to-first = Басына
# KEEP: a Russian word, which no Kazakh letter table rewrites (shared/script.ts).
button-language = 🌐 Тіл / { KEEP("Язык") }
button-visits = 🗂 Барлық сапарлар

## Language
language-pick = Тілді таңдаңыз:
language-saved = Тіл сақталды: { $language ->
    [ru] орысша
   *[kk] { $script ->
        [latn] қазақша (латын)
        [arab] қазақша (төте)
       *[other] қазақша (кирилл)
    }
}.
welcome = Сәлеметсіз бе, { $name }! Бұл бот ресми сапарлар туралы брифингтерді ұсынады: қазақ тілінде (кирилл не латын әліпбиімен) және орыс тілінде.

## Commands (descriptions shown in Telegram's menu; keep them short)
command-start = Ботты бастау
command-briefing = Брифингтің басты мәзірі
command-timeline = Сапар күндер бойынша
command-agreements = Қол қойылған келісімдер
command-sectors = Ынтымақтастық бағыттары
command-quotes = Сарапшы пікірі
command-figures = Негізгі сандар
command-language = Тілді ауыстыру
command-help = Анықтама
command-about = Дереккөз және әдіс

help-header = Бұл бот ресми сапарлар туралы брифингтерді көрсетеді. Батырмаларды басыңыз немесе мына командаларды жазыңыз:
help-footer = Кез келген сөзді жазсаңыз, сәйкес бөлімдерді табамын (мысалы: «инвестиция», «Лу Бань»).

## Visits
visits-title = Барлық сапарлар:

## Fallbacks and errors
unknown-command = { $command } командасын білмеймін. Мына командалар бар:
nothing-to-cancel = Болдырмайтын ештеңе жоқ: қазір ешбір диалог ашық емес.
search-results = «{ $query }» бойынша табылған бөлімдер:
search-nothing = «{ $query }» бойынша ештеңе табылмады. Мәзірден бөлімді таңдаңыз немесе басқа сөз жазып көріңіз (мысалы: «келісім», «инвестиция»).
store-unavailable = Қазір жауап бере алмадым: деректер қоры уақытша қолжетімсіз. Бірнеше секундтан кейін қайталап көріңіз.
stale-button = Бұл батырма ескірген. Жаңа мәзірді ашып отырмын.
button-done = Дайын
deep-link-unknown = Бұл сілтеме бойынша бөлім табылмады, сондықтан басты мәзірді ашамын.
greeting-bilingual = Сәлеметсіз бе! Бұл бот ресми сапарлар туралы брифингтерді ұсынады. Тілді таңдаңыз.

## Sharing and inline mode
button-share = 📤 Бөлісу
button-other-language = 🔁 Орысша
button-back-to-own = ↩ { $script ->
    [latn] Қазақша (латын)
   *[other] Қазақша
}
button-open-in-bot = Ботта ашу
inline-other-language = [{ $language }]
inline-open-bot = Ештеңе табылмады — ботты ашу

## Digest subscriptions
command-subscribe = Дайджестке жазылу
command-settings = Дайджест баптаулары
command-unsubscribe = Дайджесттен бас тарту
command-digest = Дайджестті қазір көрсету

weekday-button = { $day ->
    [1] Дүйсенбі
    [2] Сейсенбі
    [3] Сәрсенбі
    [4] Бейсенбі
    [5] Жұма
    [6] Сенбі
   *[7] Жексенбі
}
schedule-daily = күн сайын, сағат { $time }
schedule-instant = материалдар жарияланған не жаңартылған бойда
schedule-weekly = апта сайын, { $day ->
    [1] дүйсенбі
    [2] сейсенбі
    [3] сәрсенбі
    [4] бейсенбі
    [5] жұма
    [6] сенбі
   *[7] жексенбі
} күні, сағат { $time }
frequency-daily = Күн сайын
frequency-weekly = Апта сайын
frequency-instant = Жарияланған бойда
zone-kz = Қазақстан
zone-cn = Бейжің
zone-ru = Мәскеу
# A zone on the settings and in the dialogue: its name with its offset, or, without a name, the offset and IANA name.
zone-named = { $name } ({ $offset })
zone-unnamed = { $offset } ({ $zone })

digest-header = 🗞 Дайджест · { $title }
digest-whats-new = Алдыңғы дайджесттен бергі жаңалықтар:
digest-topic-stopped = { $reason ->
    [closed] Осы топтағы бір тақырыпқа арналған дайджест тоқтатылды: тақырып жабылған. Тақырып қайта ашылғанда, дайджест өздігінен қайта басталады. Дайджестті басқа тақырыпқа да қосуға болады: ол үшін топ әкімшісі сол тақырыпта /subscribe жібереді.
   *[deleted] Осы топтағы бір тақырыпқа арналған дайджест тоқтатылды: тақырып жойылған немесе ботқа қолжетімсіз. Дайджестті қайта алу үшін топ әкімшісі қажетті тақырыпта /subscribe жібере алады.
}

dialog-frequency = 🔔 Дайджестке жазылу. Оны қаншалықты жиі жіберейін?
dialog-weekday = Аптаның қай күні?
dialog-time = Қай уақытта? Батырманы басыңыз немесе уақытты СС:ММ түрінде жазыңыз, мысалы 09:30. Уақыт белдеуі: { $zone } (оны /settings арқылы өзгертуге болады).
dialog-sectors = Қай бағыттарды қосайын? Белгілеу не алып тастау үшін басыңыз, содан соң «Дайын» батырмасын басыңыз.
dialog-sectors-empty = Кемінде бір бағытты белгілеңіз.
dialog-confirm = Жазылымды тексеріңіз:
dialog-not-understood = Жауапты түсінбедім. Төмендегі батырмалардың бірін таңдаңыз.
dialog-time-invalid = Уақытты түсінбедім. Оны СС:ММ түрінде жазыңыз, мысалы 09:30 не 18:00, немесе батырманы басыңыз.
dialog-cancelled = Жазылым рәсімделмеді. Қайта бастау үшін — /subscribe.
dialog-ended = Бұл диалог аяқталған. Жазылу үшін /subscribe жіберіңіз.
button-cancel = ✖️ Болдырмау
button-confirm = ✅ Жазылу
subscribed = ✅ Жазылым рәсімделді. Алғашқы дайджест — { $first ->
    [now] бір минут ішінде
    [today] бүгін, сағат { $time }
    [tomorrow] ертең, сағат { $time }
   *[weekday] { $weekday ->
        [1] дүйсенбі
        [2] сейсенбі
        [3] сәрсенбі
        [4] бейсенбі
        [5] жұма
        [6] сенбі
       *[7] жексенбі
    } күні, сағат { $time }
}, кейінгілері — { $schedule }.
subscribed-instant = ✅ Жазылым рәсімделді. { $first ->
    [now] Алғашқы дайджест бір минут ішінде келеді, ал кейінгілері әр жаңа жарияланым не жаңарту шыққан бойда жіберіледі.
   *[next] Дайджест келесі жарияланым не жаңарту шыққан бойда жіберіледі.
}
subscribe-usage = Мысалы: /subscribe daily 09:00, /subscribe weekly mon 18:30 немесе /subscribe instant (жарияланған бойда). Апта күнін қазақша не орысша да жазуға болады: дүйсенбі, пн, понедельник. Барлығын батырмамен таңдау үшін жай ғана /subscribe жіберіңіз.

settings-title = ⚙️ Дайджест баптаулары
settings-language = Тіл: { $value }
settings-schedule = Кесте: { $value }
settings-zone = Уақыт белдеуі: { $value }
settings-sectors = Бағыттар: { $value }
settings-sound = Хабарландыру: { $silent ->
    [yes] 🔕 дыбыссыз
   *[no] 🔔 дыбыспен
}
settings-status = Күйі: { $status ->
    [active] белсенді
    [paused] кідіртілген
   *[stopped] тоқтатылған
}
settings-all-sectors = барлығы
settings-none = Бұл чатта дайджестке жазылым жоқ.
settings-saved = Сақталды.
settings-choose-frequency = Дайджестті қаншалықты жиі жіберейін?
settings-choose-zone = Уақыт белдеуін таңдаңыз немесе басқасын жазыңыз (мысалы, Europe/Berlin):
settings-choose-language = Дайджест пен боттың тілі:
button-subscribe = 🔔 Жазылу
button-settings = ⚙️ Баптаулар
button-frequency = 🔁 Жиілігі
button-time = 🕘 Уақыты
button-zone = 🌍 Уақыт белдеуі
button-sectors = 🧭 Бағыттар
button-sound-off = 🔕 Дыбысын өшіру
button-sound-on = 🔔 Дыбысын қосу
button-pause = ⏸ Кідірту
button-resume = ▶️ Жалғастыру
button-unsubscribe = 🚫 Жазылымнан шығу
button-type-time = ✏️ Басқа уақыт
button-type-zone = ✏️ Басқа белдеу
# On the main menu and every card: subscribe, or (when subscribed) the digest settings.
button-subscribe-digest = 🔔 Дайджестке жазылу
button-digest-settings = ⚙️ Дайджест баптаулары
ask-time = Уақытты СС:ММ түрінде жазыңыз, мысалы 07:45. Болдырмау — /cancel.
ask-zone = Уақыт белдеуінің IANA атауын жазыңыз, мысалы Asia/Almaty не Europe/Berlin. Болдырмау — /cancel.
zone-invalid = «{ $value }» деген уақыт белдеуі белгісіз. IANA атауын жазыңыз, мысалы Asia/Almaty. Болдырмау — /cancel.
input-cancelled = Бас тартылды, баптаулар өзгерген жоқ.
paused = Дайджест кідіртілді. Оны /settings арқылы жалғастыруға болады.
resumed = Дайджест қайта қосылды.
unsubscribed = Дайджесттен бас тарттыңыз. Қайта жазылу үшін — /subscribe.
not-subscribed = Бұл чатта дайджестке жазылым жоқ. Жазылу үшін — /subscribe.
admins-only = Бұл топтың дайджестін тек оның әкімшілері баптай алады.
resume-offer = Бот бұғатталып тұрғанда дайджест тоқтатылған еді. Бұрынғы баптаулармен қайта қосайық па?
resume-offer-topic = Тақырып жабылған кезде мұндағы дайджест тоқтатылған еді. Бұрынғы баптаулармен қайта қосайық па?

stats-title = 📈 Дайджест статистикасы
stats-subscribers = Жазылымдар (тіл · жиілік · күй):
stats-line = { $language } · { $frequency } · { $status }: { $count }
stats-no-subscribers = Әзірге жазылым жоқ.
stats-today = Бүгін: жіберілді { $sent }, жаңалықсыз { $empty }, қате { $failed }, қолжетімсіз чат { $dropped }. Кезекте: { $queued }.

## Content for operators: reload and drafts
reload-done = Материалдар қайта жүктелді: жарияланғаны — { $published }, жобалары — { $drafts }.
reload-unchanged = Материал файлдары өзгерген жоқ.
reload-refused = Материалдағы өзгеріс қабылданбады: оқырмандар бұрынғы нұсқаны көре береді. Түзетілетін жерлер:
preview-title = Жобалар (тек операторларға көрінеді):
preview-none = Жобалар жоқ.
preview-draft-note = 📝 Жоба: оқырмандар бұл брифингті әлі көрмейді.

## Alerts to the operators' chat (ALERT_CHAT_ID)
alert-started = ✅ Бот іске қосылды: нұсқасы { $version }, режимі { $mode }, деректер қоры { $store }.
alert-digest-failed = ❗️ Дайджест барлық әрекеттен кейін де жеткізілмеді (чат { $chat }): { $error }
alert-flood = ⏸ Telegram ботты шектеп тұр: дайджест таратуы { $seconds } секундқа тоқтатылды.
alert-store-down = 🔴 Деректер қоры ({ $store }) жауап бермейді. Оқырмандарға біраздан соң қайталау ұсынылады, тарату күтіп тұр.
alert-store-up = 🟢 Деректер қоры ({ $store }) қайта жауап береді.
alert-content-refused = ⚠️ Материалдағы өзгеріс қабылданбады (қате саны: { $count }), оқырмандар бұрынғы нұсқаны көреді:
    { $problems }
alert-folded = Соңғы 5 минутта осындай хабарлар саны: { $count }.

# Channels: set up and managed from a private chat with the bot.
button-channel-digest = 📢 Арнам үшін дайджест
button-channel-cancel = ✖️ Бас тарту
button-channel = 📢 { $title }: { $status ->
    [active] белсенді
    [paused] кідіртілген
   *[stopped] тоқтатылған
}
channel-pick = Дайджест арнаңызда шығуы үшін: 1) ботты арнаға «Хабарламаларды жариялау» құқығы бар әкімші ретінде қосыңыз; 2) төмендегі батырманы басып, арнаны таңдаңыз. Тізімде сіз хабарлама жариялай алатын және бот әкімші болып тұрған арналар ғана бар.
channel-pick-cancelled = Арна таңдаудан бас тартылды.
channel-private-only = Арна ботпен жеке чатта қосылады: /settings → «📢 Арнам үшін дайджест».
channel-refused-person-not-admin = Рұқсат жоқ: арна дайджестін оның иесі немесе хабарлама жариялау құқығы бар әкімшісі басқарады.
channel-refused-bot-cannot-post = Бот бұл арнада жариялай алмайды: оны «Хабарламаларды жариялау» құқығы бар әкімші етіп тағайындап, қайта көріңіз.
channel-refused-unknown-channel = Арна қолжетімсіз: бот онда жоқ немесе арна жойылған. Ботты арнаға әкімші ретінде қосып, қайта көріңіз.
channel-connected = ✅ «{ $title }» арнасы қосылды. Төменде оның дайджест баптаулары; оларды осы жерде, ботпен жеке чатта өзгертуге болады.
channel-settings-of = 📢 «{ $title }» арнасы
channel-settings-none = Бұл арнаға дайджест қазір жіберілмейді.
channel-command = Бұл арнаның дайджесті ботпен жеке чатта бапталады: @{ $bot } ашып, /settings жіберіңіз де, «📢 Арнам үшін дайджест» батырмасын басыңыз.
channel-lost = Бот «{ $title }» арнасында енді жариялай алмайды: оны арнадан шығарды немесе жариялау құқығынан айырды. Арна дайджесті тоқтатылды. Қайта қосу үшін ботты қайтадан «Хабарламаларды жариялау» құқығы бар әкімші етіп тағайындаңыз, содан кейін /settings жіберіп, «📢 { $title }» → «🔔 Жазылу» батырмасын басыңыз: дайджест бұрынғы баптаулармен қайта басталады.

# The bot's profile (setMyDescription ≤ 512, setMyShortDescription ≤ 120 characters), set at start-up per language.
bot-description = Ресми сапарлар туралы қазақ және орыс тілдеріндегі брифингтер. Әр дерек дереккөз мақаладан алынған, сарапшының сөздері түпнұсқадағыдай беріледі. Бөлімдерді батырмалар арқылы оқыңыз, сөз жазып іздеңіз немесе дайджестке жазылыңыз.
bot-short-description = Ресми сапарлар туралы қазақ және орыс тілдеріндегі брифингтер: дереккөзден алынған деректер және дайджестер.

# Guest mode: "@bot query" in a chat the bot is not in, when no card matches.
guest-nothing-title = Ештеңе табылмады
guest-nothing = Брифингтен бұл сұрау бойынша ештеңе табылмады. Бөлімді мәзірден таңдау үшін ботты ашыңыз.
guest-open-bot = Ботты ашу

# Copy buttons (copy_text, at most 256 characters: a longer text gets no button): a quote and a key figure.
button-copy-quote = 📋 Дәйексөзді көшіру
button-copy-figure = 📋 { $value }
copy-quote = «{ $text }» — { $speaker }
copy-figure = { $value } — { $label } ({ $source })
## Rich messages: the whole briefing in one message, rich section screens, and what answers without them.
button-full-briefing = 📄 Брифинг толық
rich-contents = Мазмұны
rich-figure-column = Сан
rich-figure-meaning-column = Нені білдіреді
rich-source-footer = Дереккөз: { $name }, { $date }; түпнұсқа тілі: { $language ->
    [kk] қазақ тілі
   *[other] орыс тілі
}
rich-unavailable = Брифингті бір хабарламамен көрсету мұнда қолжетімсіз: оны бөлімдер бойынша оқыңыз.
## Rich digests: one message per digest, a list of what is new (the HTML digest answers without rich messages).
digest-rich-in-brief = Сапар туралы қысқаша
digest-rich-whats-new = Алдыңғы дайджесттен бергі жаңалықтар
