// Home: the map of reports around the user, and the big "Lapor" button.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import { Legend } from '../components/Legend';
import type { CommandError } from '../ipc/bindings';
import { kelurahanOutline, reportsInView } from '../ipc/commands';
import { useI18n } from '../i18n';
import { debounce } from '../logic/debounce';
import { href, navigate } from '../logic/route';
import { createHomeMap } from '../map/homeMap';

/** The most pins asked for at once; more than this in view asks the user to zoom in. */
export const PIN_LIMIT = 5000;
/** Wait this long after the map stops moving before asking for the pins in view. */
export const RELOAD_DELAY_MS = 300;

export function MapHome() {
  const { t } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  const [truncated, setTruncated] = useState(false);
  const [pinCount, setPinCount] = useState<number | null>(null);
  const [outlined, setOutlined] = useState(false);
  const [tiles, setTiles] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const map = createHomeMap(el.current, {
      onPinClick: (id) => navigate({ name: 'report', id }),
      onTilesVisible: setTiles,
    });
    let latest = 0;
    let alive = true;
    const load = async () => {
      const ticket = ++latest;
      try {
        const pins = await reportsInView(map.getBox(), PIN_LIMIT);
        if (!alive || ticket !== latest) return; // an older answer after a newer question
        map.setPins(pins);
        setPinCount(pins.length);
        setTruncated(pins.length >= PIN_LIMIT);
        setError(null);
      } catch (e) {
        if (alive && ticket === latest) setError(e as CommandError);
      }
    };
    const reload = debounce(load, RELOAD_DELAY_MS);
    map.onMoveEnd(reload);
    void load();
    kelurahanOutline()
      .then((f) => {
        if (!alive) return;
        map.setOutline(f);
        setOutlined(f !== null);
      })
      .catch(() => {
        // No outline is a normal state (no account, no area): the map works without it.
      });
    return () => {
      alive = false;
      reload.cancel();
      map.destroy();
    };
  }, []);

  return (
    <main class="screen map-home" data-testid="map-home">
      <h1 class="visually-hidden">{t('map.title')}</h1>
      <div
        class="map"
        ref={el}
        data-testid="home-map"
        data-tiles={tiles ? 'on' : 'off'}
        data-pins={pinCount ?? undefined}
        data-outline={outlined ? 'on' : 'off'}
      />
      <div class="map-overlay top">
        <Legend />
        {truncated && (
          <p class="map-note" data-testid="map-truncated">
            {t('map.truncated')}
          </p>
        )}
        <ErrorMessage error={error} testid="map-error" />
      </div>
      <div class="map-overlay bottom">
        {!tiles && (
          <p class="map-note" data-testid="map-offline">
            {t('map.offline')}
          </p>
        )}
        <a class="btn primary lapor" href={href({ name: 'new' })} data-testid="lapor">
          <Icon name="plus" />
          {t('map.report')}
        </a>
      </div>
    </main>
  );
}
