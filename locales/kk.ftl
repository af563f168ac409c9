# Interface strings, Kazakh. Briefing text itself comes from src/content, never from here.

language-name = Қазақша

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

## Sections: menu buttons and headings
section-home = Басты мәзір
section-overview = 📰 Шолу
section-timeline = 📅 Күн сайын
section-agreements = ✍️ Келісімдер
section-sectors = 🧭 Бағыттар
section-quotes = 💬 Сарапшы пікірі
section-figures = 📊 Негізгі сандар
section-priorities = 🎯 Басымдықтар
section-outlook = 🔭 Болашағы
section-about = ℹ️ Дереккөз

home-prompt = Бөлімді таңдаңыз.
source-line = Дереккөз: { $name }, { $date }{ $original ->
    [ru] {" "}(орыс тілінде)
   *[other] {""}
}
about-text = Бұл брифинг { $source } сайтының { $date } жарияланған мақаласы негізінде жасалды (авторы — { $author }).
about-method = Әр дерек осы мақаладан алынған: мақалада жоқ дерек ботта да жоқ. Сарапшының сөздері түпнұсқадағыдай, қазақ тілінде беріледі; орыс тіліндегі нұсқасы — аударма.
quote-translation-note = Қазақ тілінен аударма
quote-original-label = Түпнұсқа:
quote-button = Пікір { $number }

## Buttons
button-back = Артқа
button-home = Мәзір
button-previous = Алдыңғы
button-next = Келесі
button-language = 🌐 Тіл / Язык
button-visits = 🗂 Барлық сапарлар

## Language
language-pick = Тілді таңдаңыз:
language-saved = Тіл сақталды: қазақша.
welcome = Сәлеметсіз бе, { $name }! Бұл бот ресми сапарлар туралы брифингтерді қазақ және орыс тілдерінде ұсынады.
welcome-back = Қайта оралуыңызбен!

## Commands (descriptions shown in Telegram's menu; keep them short)
command-start = Ботты бастау
command-briefing = Брифингтің басты мәзірі
command-timeline = Сапар күн сайын
command-agreements = Қол қойылған келісімдер
command-sectors = Ынтымақтастық бағыттары
command-quotes = Сарапшы пікірлері
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
search-results = «{ $query }» бойынша табылған бөлімдер:
search-nothing = «{ $query }» бойынша ештеңе табылмады. Мәзірден бөлімді таңдаңыз немесе басқа сөз жазып көріңіз (мысалы: «келісім», «инвестиция»).
stale-button = Бұл батырма ескірген. Жаңа мәзірді ашып отырмын.
button-done = Дайын
deep-link-unknown = Бұл сілтеме бойынша бөлім табылмады, сондықтан басты мәзірді ашамын.
something-went-wrong = Кешіріңіз, бірдеңе дұрыс болмады. Қайталап көріңіз немесе /briefing командасын жазыңыз.
greeting-bilingual = Сәлеметсіз бе! Бұл бот ресми сапарлар туралы брифингтерді ұсынады. Тілді таңдаңыз.

## Sharing and inline mode
button-share = 📤 Бөлісу
button-open-in-bot = Ботта ашу
inline-other-language = [{ $language }]
inline-open-bot = Ештеңе табылмады — ботты ашу
