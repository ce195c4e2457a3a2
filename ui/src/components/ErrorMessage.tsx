import type { CommandError, ErrorInfo } from '../ipc/bindings';
import { useI18n } from '../i18n';
import { errorText } from '../logic/words';

/** An error in the user's words, with its stable code for a phone call to support. */
export function ErrorMessage({ error, testid }: { error: CommandError | ErrorInfo | null; testid?: string }) {
  const tr = useI18n();
  if (!error) return null;
  return (
    <div class="error" role="alert" data-testid={testid} data-error-code={error.code}>
      <p>{errorText(tr, error)}</p>
      <p class="error-code">{tr.t('common.errorCode', { code: error.code })}</p>
    </div>
  );
}
