import { GrammyError } from "grammy";

/** The message can no longer be edited (too old, deleted, or never ours): send a new one instead. */
export function isUneditable(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /message to edit not found|message can't be edited|message_id_invalid|there is no text in the message/i.test(
      error.description,
    )
  );
}
