// Step 2: where is it? A GPS fix when it is accurate enough, otherwise a point picked on the map
// (on a desktop, picking on the map is the normal path).
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import type { LocationSource } from '../../ipc/bindings';
import { useI18n } from '../../i18n';
import { formatMetres } from '../../i18n/format';
import { ACCURACY_GATE_M, gateFix, isDesktopPointer, type Fix } from '../../logic/location';
import { PickMap } from './PickMap';

export type Place = {
  lat: number;
  lon: number;
  accuracyM: number | null;
  source: LocationSource;
  capturedAt: number;
};

type Gps =
  | { state: 'searching' }
  | { state: 'slow' }
  | { state: 'denied' }
  | { state: 'unavailable' }
  | { state: 'fix'; fix: Fix; at: number };

/** How long to wait for a first fix before suggesting the map. */
export const GPS_TIMEOUT_MS = 30_000;

function useGps(): Gps {
  const [gps, setGps] = useState<Gps>(() =>
    typeof navigator !== 'undefined' && navigator.geolocation ? { state: 'searching' } : { state: 'unavailable' },
  );
  useEffect(() => {
    const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
    if (!geo) return;
    const watch = geo.watchPosition(
      (p) =>
        setGps({
          state: 'fix',
          fix: { lat: p.coords.latitude, lon: p.coords.longitude, accuracyM: p.coords.accuracy },
          at: Number.isFinite(p.timestamp) && p.timestamp > 0 ? p.timestamp : Date.now(),
        }),
      (err) =>
        setGps((old) => {
          if (err.code === 1) return { state: 'denied' };
          if (old.state === 'fix') return old; // keep the last fix through a hiccup
          return err.code === 3 ? { state: 'slow' } : { state: 'unavailable' };
        }),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: GPS_TIMEOUT_MS },
    );
    return () => geo.clearWatch(watch);
  }, []);
  return gps;
}

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
