# Interface strings, Russian. Briefing text itself comes from src/content, never from here.

language-name = Русский
# The Kazakh choices in the language picker (the picker shows them in Kazakh; kept here for every key in both files).
language-name-cyrl = Казахский (кириллица)
language-name-latn = Казахский (латиница)
language-name-arab = Казахский (арабская графика)

date = { $day } { $month ->
    [1] января
    [2] февраля
    [3] марта
    [4] апреля
    [5] мая
    [6] июня
    [7] июля
    [8] августа
    [9] сентября
    [10] октября
    [11] ноября
   *[12] декабря
} { $year } г.
# The date as an adverbial ("when"): in Russian the same as the date.
date-locative = { $day } { $month ->
    [1] января
    [2] февраля
    [3] марта
    [4] апреля
    [5] мая
    [6] июня
    [7] июля
    [8] августа
    [9] сентября
    [10] октября
    [11] ноября
   *[12] декабря
} { $year } г.

## Sections: menu buttons and headings
section-home = Главное меню
section-overview = 📰 Обзор
section-timeline = 📅 По дням
section-agreements = ✍️ Соглашения
section-sectors = 🧭 Направления
section-quotes = 💬 Мнение эксперта
section-figures = 📊 Ключевые цифры
section-priorities = 🎯 Приоритеты
section-outlook = 🔭 Перспективы
section-about = ℹ️ Источник

home-prompt = Выберите раздел.
source-line = Источник: { $name }, { $date }{ $original ->
    [kk] {" "}(на казахском языке)
   *[other] {""}
}
about-text = Брифинг подготовлен на основе статьи { $source } от { $date } (автор — { $author }).
about-method = Каждый факт взят из этой статьи: чего нет в статье, того нет и в боте. Слова эксперта приводятся дословно на казахском языке, русский текст — перевод.
quote-translation-note = Перевод с казахского
quote-original-label = Оригинал:
quote-transliteration-note = Транслитерация с кириллицы на латиницу
quote-transliteration-note-arab = Транслитерация с кириллицы на арабскую графику
button-cyrillic-original = Оригинал на кириллице
quote-button = Мнение { $number }

## Buttons
button-back = Назад
button-home = Меню
button-previous = Пред.
button-next = Далее
# Previous and Next at the ends of a list, where they wrap around to the other end.
button-to-last = В конец
button-to-first = В начало
button-language = 🌐 Тіл / Язык
button-visits = 🗂 Все визиты

## Language
language-pick = Выберите язык:
language-saved = Язык сохранён: { $language ->
    [kk] { $script ->
        [latn] казахский (латиница)
        [arab] казахский (арабская графика)
       *[other] казахский (кириллица)
    }
   *[ru] русский
}.
welcome = Здравствуйте, { $name }! Здесь брифинги об официальных визитах. Читать их можно на русском или казахском языке, на казахском — кириллицей или латиницей.

## Commands (descriptions shown in Telegram's menu; keep them short)
command-start = Запустить бота
command-briefing = Главное меню брифинга
command-timeline = Визит по дням
command-agreements = Подписанные соглашения
command-sectors = Направления сотрудничества
command-quotes = Мнение эксперта
command-figures = Ключевые цифры
command-language = Сменить язык
command-help = Справка
command-about = Источник и методика

help-header = Бот показывает брифинги об официальных визитах. Нажимайте кнопки или отправляйте команды:
help-footer = Напишите любое слово, и я найду подходящие разделы (например: «инвестиции», «Лу Бань»).

## Visits
visits-title = Все визиты:

## Fallbacks and errors
unknown-command = Команда { $command } мне неизвестна. Доступные команды:
nothing-to-cancel = Отменять нечего: сейчас нет открытого диалога.
search-results = Разделы по запросу «{ $query }»:
search-nothing = По запросу «{ $query }» ничего не найдено. Выберите раздел в меню или попробуйте другое слово (например: «соглашения», «инвестиции»).
store-unavailable = Не удалось ответить: хранилище данных временно недоступно. Повторите, пожалуйста, через несколько секунд.
stale-button = Эта кнопка устарела. Открываю актуальное меню.
button-done = Готово
deep-link-unknown = Раздел по этой ссылке не найден, открываю главное меню.
greeting-bilingual = Здравствуйте! Этот бот рассказывает об официальных визитах. Выберите язык.

## Sharing and inline mode
button-share = 📤 Поделиться
button-other-language = 🔁 На казахском
button-back-to-own = ↩ { $script ->
   *[other] На русском
}
button-open-in-bot = Открыть в боте
inline-other-language = [{ $language }]
inline-open-bot = Ничего не найдено — открыть бота

## Digest subscriptions
command-subscribe = Подписаться на дайджест
command-settings = Настройки дайджеста
command-unsubscribe = Отписаться от дайджеста
command-digest = Показать дайджест сейчас

weekday-button = { $day ->
    [1] Понедельник
    [2] Вторник
    [3] Среда
    [4] Четверг
    [5] Пятница
    [6] Суббота
   *[7] Воскресенье
}
schedule-daily = ежедневно в { $time }
schedule-instant = сразу после публикации или обновления материалов
schedule-weekly = еженедельно, { $day ->
    [1] по понедельникам
    [2] по вторникам
    [3] по средам
    [4] по четвергам
    [5] по пятницам
    [6] по субботам
   *[7] по воскресеньям
} в { $time }
frequency-daily = Ежедневно
frequency-weekly = Еженедельно
frequency-instant = Сразу после публикации
zone-kz = Казахстан
zone-cn = Пекин
zone-ru = Москва
# A zone on the settings and in the dialogue: its name with its offset, or, without a name, the offset and IANA name.
zone-named = { $name } ({ $offset })
zone-unnamed = { $offset } ({ $zone })

digest-header = 🗞 Дайджест · { $title }
digest-whats-new = Новое с прошлого дайджеста:
digest-topic-stopped = { $reason ->
    [closed] Дайджест для одной из тем этой группы остановлен: тема закрыта. Он возобновится сам, когда тему снова откроют. Администратор может также подписать другую тему, отправив в ней /subscribe.
   *[deleted] Дайджест для одной из тем этой группы остановлен: тема удалена или недоступна боту. Чтобы снова получать дайджест, администратор группы может отправить /subscribe в нужной теме.
}

dialog-frequency = 🔔 Подписка на дайджест. Как часто его присылать?
dialog-weekday = В какой день недели?
dialog-time = В какое время? Нажмите кнопку или напишите время в формате ЧЧ:ММ, например 09:30. Часовой пояс: { $zone } (его можно сменить в /settings).
dialog-sectors = Какие направления включить? Нажимайте, чтобы отметить или снять, затем «Готово».
dialog-sectors-empty = Отметьте хотя бы одно направление.
dialog-confirm = Проверьте подписку:
dialog-not-understood = Не понял ответ. Выберите вариант кнопкой ниже.
dialog-time-invalid = Не понял время. Напишите его в формате ЧЧ:ММ, например 09:30 или 18:00, или нажмите кнопку.
dialog-cancelled = Подписка не оформлена. Начать заново — /subscribe.
dialog-ended = Этот диалог уже завершён. Чтобы подписаться, отправьте /subscribe.
button-cancel = ✖️ Отмена
button-confirm = ✅ Подписаться
subscribed = ✅ Подписка оформлена. Первый дайджест — { $first ->
    [now] в течение минуты
    [today] сегодня в { $time }
    [tomorrow] завтра в { $time }
   *[weekday] { $weekday ->
        [1] в понедельник
        [2] во вторник
        [3] в среду
        [4] в четверг
        [5] в пятницу
        [6] в субботу
       *[7] в воскресенье
    } в { $time }
}, дальше { $schedule }.
subscribed-instant = ✅ Подписка оформлена. { $first ->
    [now] Первый дайджест придёт в течение минуты, а затем — сразу после каждой новой публикации или обновления.
   *[next] Дайджест придёт сразу после следующей публикации или обновления материалов.
}
subscribe-usage = Например: /subscribe daily 09:00, /subscribe weekly mon 18:30 или /subscribe instant (сразу после публикации). День недели можно написать по-английски, по-русски или по-казахски: mon, пн, понедельник. Чтобы выбрать всё кнопками, отправьте просто /subscribe.

settings-title = ⚙️ Настройки дайджеста
settings-language = Язык: { $value }
settings-schedule = Расписание: { $value }
settings-zone = Часовой пояс: { $value }
settings-sectors = Направления: { $value }
settings-sound = Уведомления: { $silent ->
    [yes] 🔕 без звука
   *[no] 🔔 со звуком
}
settings-status = Статус: { $status ->
    [active] действует
    [paused] приостановлен
   *[stopped] остановлен
}
settings-all-sectors = все
settings-none = В этом чате нет подписки на дайджест.
settings-saved = Сохранено.
settings-choose-frequency = Как часто присылать дайджест?
settings-choose-zone = Выберите часовой пояс или введите любой другой (например, Europe/Berlin):
settings-choose-language = Язык дайджеста и бота:
button-subscribe = 🔔 Подписаться
button-settings = ⚙️ Настройки
button-frequency = 🔁 Частота
button-time = 🕘 Время
button-zone = 🌍 Часовой пояс
button-sectors = 🧭 Направления
button-sound-off = 🔕 Выключить звук
button-sound-on = 🔔 Включить звук
button-pause = ⏸ Приостановить
button-resume = ▶️ Возобновить
button-unsubscribe = 🚫 Отписаться
button-type-time = ✏️ Другое время
button-type-zone = ✏️ Другой пояс
# On the main menu and every card: subscribe, or (when subscribed) the digest settings.
button-subscribe-digest = 🔔 Подписаться на дайджест
button-digest-settings = ⚙️ Настройки дайджеста
ask-time = Напишите время в формате ЧЧ:ММ, например 07:45. Отмена — /cancel.
ask-zone = Напишите название часового пояса в формате IANA, например Asia/Almaty или Europe/Berlin. Отмена — /cancel.
zone-invalid = «{ $value }» — неизвестный часовой пояс. Напишите название в формате IANA, например Asia/Almaty. Отмена — /cancel.
input-cancelled = Отменено, настройки не изменились.
paused = Дайджест приостановлен. Возобновить можно в /settings.
resumed = Дайджест возобновлён.
unsubscribed = Вы отписались от дайджеста. Подписаться снова — /subscribe.
not-subscribed = В этом чате нет подписки на дайджест. Подписаться — /subscribe.
admins-only = Дайджест этой группы могут настраивать только её администраторы.
resume-offer = Пока бот был заблокирован, дайджест был остановлен. Возобновить его с прежними настройками?
resume-offer-topic = Дайджест здесь был остановлен, когда тему закрыли. Возобновить его с прежними настройками?

stats-title = 📈 Статистика дайджестов
stats-subscribers = Подписки (язык · частота · статус):
stats-line = { $language } · { $frequency } · { $status }: { $count }
stats-no-subscribers = Подписок пока нет.
stats-today = За сегодня: отправлено { $sent }, без новостей { $empty }, ошибок { $failed }, недоступных чатов { $dropped }. В очереди: { $queued }.

## Content for operators: reload and drafts
reload-done = Материалы перезагружены: опубликовано — { $published }, черновиков — { $drafts }.
reload-unchanged = Файлы материалов не изменились.
reload-refused = Изменение материалов не принято: читатели по-прежнему видят предыдущую версию. Что исправить:
preview-title = Черновики (видны только операторам):
preview-none = Черновиков нет.
preview-draft-note = 📝 Черновик: читатели пока не видят этот брифинг.

## Alerts to the operators' chat (ALERT_CHAT_ID)
alert-started = ✅ Бот запущен: версия { $version }, режим { $mode }, хранилище { $store }.
alert-digest-failed = ❗️ Дайджест не доставлен после всех попыток (чат { $chat }): { $error }
alert-flood = ⏸ Telegram ограничивает бота: рассылка дайджестов приостановлена на { $seconds } с.
alert-store-down = 🔴 Хранилище данных ({ $store }) не отвечает. Читателям предлагается повторить позже, рассылка ждёт.
alert-store-up = 🟢 Хранилище данных ({ $store }) снова отвечает.
alert-content-refused = ⚠️ Изменение материалов отклонено (ошибок: { $count }), читатели видят прежнюю версию:
    { $problems }
alert-folded = Таких сообщений за последние 5 минут: { $count }.

# Channels: set up and managed from a private chat with the bot.
button-channel-digest = 📢 Дайджест для моего канала
button-channel-cancel = ✖️ Отмена
button-channel = 📢 { $title }: { $status ->
    [active] действует
    [paused] приостановлен
   *[stopped] остановлен
}
channel-pick = Чтобы дайджест выходил в вашем канале: 1) добавьте бота в канал администратором с правом «Публикация сообщений»; 2) нажмите кнопку ниже и выберите канал. В списке только каналы, где вы можете публиковать сообщения, а бот уже администратор.
channel-pick-cancelled = Выбор канала отменён.
channel-private-only = Канал подключается в личном чате с ботом: /settings → «📢 Дайджест для моего канала».
channel-refused-person-not-admin = Нет доступа: дайджестом канала управляет его владелец или администратор с правом публикации сообщений.
channel-refused-bot-cannot-post = Бот не может публиковать в этом канале: назначьте его администратором с правом «Публикация сообщений» и попробуйте снова.
channel-refused-unknown-channel = Канал недоступен: бот в нём не состоит или канал удалён. Добавьте бота администратором канала и попробуйте снова.
channel-connected = ✅ Канал «{ $title }» подключён. Ниже — настройки его дайджеста; менять их можно здесь, в личном чате с ботом.
channel-settings-of = 📢 Канал «{ $title }»
channel-settings-none = Дайджест в этот канал сейчас не отправляется.
channel-command = Дайджест этого канала настраивается в личном чате с ботом: откройте @{ $bot }, отправьте /settings и нажмите «📢 Дайджест для моего канала».
channel-lost = Бот больше не может публиковать в канале «{ $title }»: его удалили из канала или лишили права публикации. Дайджест канала остановлен. Чтобы возобновить его, снова назначьте бота администратором с правом «Публикация сообщений», затем отправьте /settings и нажмите «📢 { $title }» → «🔔 Подписаться»: дайджест возобновится с прежними настройками.

# The bot's profile (setMyDescription ≤ 512, setMyShortDescription ≤ 120 characters), set at start-up per language.
bot-description = Брифинги на казахском и русском языках об официальных визитах. Каждый факт взят из статьи-источника, слова эксперта приводятся дословно. Листайте разделы кнопками, ищите по слову или подпишитесь на дайджест.
bot-short-description = Брифинги на казахском и русском языках об официальных визитах: факты из источников и дайджесты.

# Guest mode: "@bot query" in a chat the bot is not in, when no card matches.
guest-nothing-title = Ничего не найдено
guest-nothing = В брифинге ничего не найдено по этому запросу. Откройте бота, чтобы выбрать раздел в меню.
guest-open-bot = Открыть бота

# Copy buttons (copy_text, at most 256 characters: a longer text gets no button): a quote and a key figure.
button-copy-quote = 📋 Копировать цитату
button-copy-figure = 📋 { $value }
copy-quote = «{ $text }» — { $speaker } (перевод с казахского)
copy-figure = { $value } — { $label } ({ $source })
## Rich messages: the whole briefing in one message, rich section screens, and what answers without them.
button-full-briefing = 📄 Весь брифинг
rich-contents = Содержание
rich-figure-column = Цифра
rich-figure-meaning-column = Что обозначает
rich-source-footer = Источник: { $name }, { $date }; язык оригинала: { $language ->
    [kk] казахский
   *[other] русский
}
rich-unavailable = Весь брифинг одним сообщением здесь недоступен: читайте его по разделам.
## Rich digests: one message per digest, a list of what is new (the HTML digest answers without rich messages).
digest-rich-in-brief = Коротко о визите
digest-rich-whats-new = Новое с прошлого дайджеста
