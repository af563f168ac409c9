# Interface strings, Russian. Briefing text itself comes from src/content, never from here.

language-name = Русский

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
quote-button = Цитата { $number }

## Buttons
button-back = Назад
button-home = Меню
button-previous = Пред.
button-next = Далее
button-language = 🌐 Тіл / Язык
button-visits = 🗂 Все визиты

## Language
language-pick = Выберите язык:
language-saved = Язык сохранён: русский.
welcome = Здравствуйте, { $name }! Этот бот рассказывает об официальных визитах на казахском и русском языках.
welcome-back = С возвращением!

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
search-results = Разделы по запросу «{ $query }»:
search-nothing = По запросу «{ $query }» ничего не найдено. Выберите раздел в меню или попробуйте другое слово (например: «соглашения», «инвестиции»).
stale-button = Эта кнопка устарела. Открываю актуальное меню.
button-done = Готово
deep-link-unknown = Раздел по этой ссылке не найден, открываю главное меню.
something-went-wrong = Извините, что-то пошло не так. Попробуйте ещё раз или отправьте /briefing.
greeting-bilingual = Здравствуйте! Этот бот рассказывает об официальных визитах. Выберите язык.

## Sharing and inline mode
button-share = 📤 Поделиться
button-open-in-bot = Открыть в боте
inline-other-language = [{ $language }]
inline-open-bot = Ничего не найдено — открыть бота
