// A map to put the report's point on: the person moves the map under a fixed pin.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { CommandError } from '../../ipc/bindings';
import { kelurahanOutline } from '../../ipc/commands';
import { useI18n } from '../../i18n';
import { coordinateError, type Fix } from '../../logic/location';
import { markerIconUrl } from '../../map/leaflet';
import { createPickMap, type PickMap as PickMapController } from '../../map/pickMap';

export function PickMap({
  fix,
  onPick,
}: {
  fix: Fix | null;
  onPick: (point: { lat: number; lon: number }) => void;
}) {
  const { t } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<PickMapController | null>(null);
  const [error, setError] = useState<CommandError | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const m = createPickMap(el.current, fix ? { lat: fix.lat, lon: fix.lon } : null);
    map.current = m;
    let alive = true;
    kelurahanOutline()
      .then((f) => alive && m.setOutline(f))
      .catch(() => {});
    return () => {
      alive = false;
      map.current = null;
      m.destroy();
    };
  }, []);

  useEffect(() => {
    map.current?.showFix(fix && coordinateError(fix.lat, fix.lon) === null ? fix : null);
  }, [fix?.lat, fix?.lon, fix?.accuracyM]);

  const confirm = () => {
    const point = map.current?.center();
    if (!point) return;
    const code = coordinateError(point.lat, point.lon);
    if (code) {
      setError({ code, message: '', count: null });
      return;
    }
    setError(null);
    onPick(point);
  };

  return (
    <div class="pick stack">
      <p class="hint">{t('where.pickHint')}</p>
      <div class="pick-frame">
        <div class="map" ref={el} role="application" aria-label={t('where.mapLabel')} data-testid="map-pick-map" />
        <img class="pick-pin" src={markerIconUrl} alt="" aria-hidden="true" />
      </div>
      <ErrorMessage error={error} testid="map-pick-error" />
      <div class="bottom-bar">
        <button type="button" class="btn primary" onClick={confirm} data-testid="map-pick-confirm">
          {t('where.pickConfirm')}
        </button>
      </div>
    </div>
  );
}
