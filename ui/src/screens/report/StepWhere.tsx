// Step 2: where is it? A GPS fix when it is accurate enough, otherwise a point picked on the map
// (on a desktop, picking on the map is the normal path).
import { useState } from 'preact/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import type { LocationSource } from '../../ipc/bindings';
import { useI18n } from '../../i18n';
import { formatMetres } from '../../i18n/format';
import { ACCURACY_GATE_M, gateFix, isDesktopPointer } from '../../logic/location';
import { useGps } from '../useGps';
import { PickMap } from './PickMap';

export type Place = {
  lat: number;
  lon: number;
  accuracyM: number | null;
  source: LocationSource;
  capturedAt: number;
};

export function StepWhere({ onPlace }: { onPlace: (place: Place) => void }) {
  const { t, lang } = useI18n();
  const gps = useGps();
  const [showMap, setShowMap] = useState(() => isDesktopPointer());
  const fix = gps.state === 'fix' ? gps.fix : null;
  const gate = fix ? gateFix(fix) : null;
  const noGps = gps.state === 'denied' || gps.state === 'unavailable';

  let status: string;
  switch (gps.state) {
    case 'searching':
      status = t('where.searching');
      break;
    case 'slow':
      status = t('where.slow');
      break;
    case 'denied':
      status = t('where.denied');
      break;
    case 'unavailable':
      status = t('where.unavailable');
      break;
    case 'fix':
      status =
        gate?.verdict === 'accept'
          ? t('where.good')
          : gate?.verdict === 'inaccurate'
            ? t('where.poor', { max: formatMetres(ACCURACY_GATE_M, lang) })
            : t('where.invalid');
  }

  return (
    <section class="stack">
      <h2>{t('where.title')}</h2>
      <div class="gps" aria-live="polite" data-testid="gps-status" data-gps={gps.state} data-gate={gate?.verdict}>
        {fix && gate?.verdict !== 'invalid' && (
          <p class="accuracy" data-testid="gps-accuracy">
            {t('where.accuracy', { m: formatMetres(fix.accuracyM, lang) })}
          </p>
        )}
        <p>{status}</p>
        {gate?.verdict === 'invalid' && gate.code !== 'LOCATION_ACCURACY_INVALID' && (
          <ErrorMessage error={{ code: gate.code, message: '', count: null }} />
        )}
      </div>
      {fix && gate?.verdict === 'accept' && (
        <div class="bottom-bar">
          <button
            type="button"
            class="btn primary"
            data-testid="use-gps"
            onClick={() =>
              onPlace({
                lat: fix.lat,
                lon: fix.lon,
                accuracyM: fix.accuracyM,
                source: 'gps',
                capturedAt: gps.state === 'fix' ? gps.at : Date.now(),
              })
            }
          >
            <Icon name="check" />
            {t('where.useGps')}
          </button>
        </div>
      )}
      {showMap || noGps ? (
        <PickMap
          fix={fix}
          onPick={(p) => onPlace({ ...p, accuracyM: null, source: 'map_pick', capturedAt: Date.now() })}
        />
      ) : (
        <button type="button" class="btn" onClick={() => setShowMap(true)} data-testid="map-pick">
          <Icon name="map" />
          {t('where.pickOnMap')}
        </button>
      )}
    </section>
  );
}
