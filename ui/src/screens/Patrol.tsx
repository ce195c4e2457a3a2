// The daily patrol in Kabar: an RT or RW head checks in "nihil" with one tap after a patrol with
// nothing to report (saved on the phone, sent with the next sync); whoever serves an area sees
// which of its RTs and RWs checked in or reported today.
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import type { CommandError, Patrol as PatrolData } from '../ipc/bindings';
import { checkInNihil, patrol, toCommandError } from '../ipc/commands';
import { useI18n } from '../i18n';
import { stepPosition } from '../logic/lifecycle';
import { patrolAreaLabel } from '../logic/patrol';
import { useGps } from './useGps';

export function Patrol() {
  const { t, tp } = useI18n();
  const gps = useGps();
  const [data, setData] = useState<PatrolData | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let alive = true;
    patrol()
      .then((p) => alive && setData(p))
      .catch((e) => alive && setError(toCommandError(e)));
    return () => {
      alive = false;
    };
  }, []);

  const checkIn = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const position = gps.state === 'fix' ? stepPosition(gps.fix, gps.at) : null;
      setData(await checkInNihil(position));
    } catch (e) {
      setError(toCommandError(e));
    } finally {
      setBusy(false);
    }
  };

  if (!data || (!data.ownArea && !data.area)) return <ErrorMessage error={error} testid="patrol-error" />;
  return (
    <section class="patrol" data-testid="patrol">
      <h2>{t('patrol.title')}</h2>
      {data.ownArea &&
        (data.checkedIn ? (
          <p class="done" data-testid="patrol-checked-in">
            <Icon name="check" />
            {t('patrol.checkedIn')}
          </p>
        ) : (
          <>
            <p class="hint">{t('patrol.checkInHint', { area: patrolAreaLabel(data.ownArea) })}</p>
            <button type="button" class="btn primary" disabled={busy} onClick={checkIn} data-testid="patrol-check-in">
              <Icon name="check" />
              {t('patrol.checkIn')}
            </button>
          </>
        ))}
      <ErrorMessage error={error} testid="patrol-error" />
      {data.area &&
        (data.areas.length === 0 ? (
          <p data-testid="patrol-empty">{t('patrol.empty')}</p>
        ) : (
          <ul class="cards" data-testid="patrol-list">
            {data.areas.map((a) => (
              <li key={a.area} class="card" data-testid="patrol-area" data-nihil={a.nihil ? 'true' : 'false'}>
                <strong>{patrolAreaLabel(a.area)}</strong>
                {a.nihil && (
                  <span>
                    {t('patrol.nihil')}
                    {!a.sent && ` (${t('patrol.notSent')})`}
                  </span>
                )}
                {a.reports > 0 && <span>{tp('patrol.reports', a.reports)}</span>}
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
