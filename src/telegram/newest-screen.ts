/**
 * A screen is a message the bot edits in place (editMessageText of one chat and message id): each tap of a reader
 * paging through a briefing redraws it. Telegram allows about one message a second in a private chat, edits
 * included, so quick taps leave edits waiting for their slot; only the newest of them is worth sending. An edit
 * replaced while it waits is dropped without a Telegram call, and its caller gets what an edit to the same content
 * gets ("message is not modified", made a success by ignoreNotModified), so its handler ends as usual.
 *
 * Edits of one screen also go out one at a time: a newer edit waits until the one on its way has been answered, so
 * two requests never race and the screen always ends up showing the newest edit.
 */
export type ScreenEdit = {
  /** Aborts when a newer edit of the same screen replaces this one, or when the request's own signal aborts. */
  signal: AbortSignal;
  /** Whether a newer edit of the same screen replaced this one before it was sent. */
  replaced(): boolean;
  /** Resolves when the edit before it (if one is on its way) has been answered, or when this one is replaced. */
  turn: Promise<void>;
  /** The edit leaves now: from here on it is not replaced, and the next edit of the screen waits for `done`. */
  leaving(): void;
  /** The edit was answered, replaced or given up. */
  done(): void;
};

/** What the caller of a replaced edit gets: the answer ignoreNotModified gives for an edit that changes nothing. */
export const REPLACED_EDIT = { ok: true, result: true } as const;

/** A screen's edits: the one waiting for its turn or slot, and the answer of the last one that left. */
type Screen = { waiting: (() => void) | undefined; answered: Promise<void>; sending: boolean };

const ANSWERED = Promise.resolve();

/** The screen an edit draws: its chat and message; undefined for other calls, inline messages and chats by username. */
function screenOf(method: string, payload: unknown): string | undefined {
  if (method !== "editMessageText" || typeof payload !== "object" || payload === null) return undefined;
  const { chat_id: chatId, message_id: messageId } = payload as { chat_id?: unknown; message_id?: unknown };
  return typeof chatId === "number" && typeof messageId === "number" ? `${chatId}:${messageId}` : undefined;
}

/** The screens of the edits made through one delivery (the bot's Api and the dialogues' alike). */
export function newestScreens() {
  const screens = new Map<string, Screen>();

  /** Undefined for a call that is no screen edit; otherwise the edit's place among its screen's edits. */
  function enter(method: string, payload: unknown, requestSignal?: AbortSignal): ScreenEdit | undefined {
    const key = screenOf(method, payload);
    if (key === undefined) return undefined;
    let screen = screens.get(key);
    if (!screen) screens.set(key, (screen = { waiting: undefined, answered: ANSWERED, sending: false }));
    const current = screen;
    // The edit waiting before this one would never be seen: it is dropped.
    current.waiting?.();
    const own = new AbortController();
    const abort = () => own.abort(requestSignal?.reason);
    if (requestSignal?.aborted) abort();
    else requestSignal?.addEventListener("abort", abort, { once: true });
    let replaced = false;
    let left: (() => void) | undefined;
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const replace = () => {
      replaced = true;
      own.abort();
      wake();
    };
    current.waiting = replace;
    return {
      signal: own.signal,
      replaced: () => replaced,
      turn: Promise.race([current.answered, woken]),
      leaving() {
        if (left) return;
        if (current.waiting === replace) current.waiting = undefined;
        current.sending = true;
        current.answered = new Promise<void>((resolve) => (left = resolve));
      },
      done() {
        requestSignal?.removeEventListener("abort", abort);
        if (current.waiting === replace) current.waiting = undefined;
        if (left) {
          current.sending = false;
          left();
        }
        if (!current.waiting && !current.sending && screens.get(key) === current) screens.delete(key);
      },
    };
  }

  return { enter };
}
export type NewestScreens = ReturnType<typeof newestScreens>;
