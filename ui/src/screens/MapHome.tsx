// Home: the map of reports around the user, the big "Lapor" button, and on request the safety
// map (the public layer's hexagons by day or by night) beneath the pins.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import { Legend } from '../components/Legend';
import type { CommandError, DayPart, SafetyMap } from '../ipc/bindings';
import { kelurahanOutline, reportsInView, safetyMap, toCommandError } from '../ipc/commands';
import { useI18n } from '../i18n';
import { debounce } from '../logic/debounce';
import { href, navigate } from '../logic/route';
import { cellsFor } from '../logic/safety';
import { createHomeMap, type HomeMap } from '../map/homeMap';
import { DayPartSwitch, SafetyCellPanel, SafetyCounts, SafetyInfo } from './SafetyLayer';
import { useAuditForm } from './useAuditForm';

/** A point on the page's timeline (`performance`), for the start-up benchmark to read. */
const mark = (name: string) => performance.mark?.(`ronda:${name}`);

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
  const mapRef = useRef<HomeMap | null>(null);

  // The safety map: off until asked for; fetched again each time it is switched on.
  const [safetyOn, setSafetyOn] = useState(false);
  const [layer, setLayer] = useState<SafetyMap | null>(null);
  const [safetyError, setSafetyError] = useState<CommandError | null>(null);
  // Until the layer comes with the day part it is now in Jakarta.
  const [dayPart, setDayPart] = useState<DayPart>('siang');
  const [picked, setPicked] = useState<string | null>(null);
  const safetyTicket = useRef(0);
  const form = useAuditForm(safetyOn);

  const toggleSafety = () => {
    const ticket = ++safetyTicket.current;
    setLayer(null);
    setPicked(null);
    setSafetyError(null);
    if (safetyOn) {
      setSafetyOn(false);
      return;
    }
    setSafetyOn(true);
    safetyMap()
      .then((m) => {
        if (ticket !== safetyTicket.current) return;
        setLayer(m);
        setDayPart(m.dayPartNow);
      })
      .catch((e) => ticket === safetyTicket.current && setSafetyError(toCommandError(e)));
  };

  /** Day or night; a cell's panel stays open if the cell is in the other day part too. */
  const chooseDayPart = (part: DayPart) => {
    setDayPart(part);
    if (picked && !layer?.cells.some((c) => c.h3 === picked && c.dayPart === part)) setPicked(null);
  };

  const drawn = useMemo(() => (safetyOn && layer ? cellsFor(layer.cells, dayPart) : null), [safetyOn, layer, dayPart]);
  const cell = (picked && drawn?.find((c) => c.h3 === picked)) || null;

  useEffect(() => {
    if (!el.current) return;
    const map = createHomeMap(el.current, {
      onPinClick: (id) => navigate({ name: 'report', id }),
      onTilesVisible: setTiles,
    });
    mapRef.current = map;
    let latest = 0;
    let alive = true;
    const load = async () => {
      const ticket = ++latest;
      try {
        mark('pins-asked');
        const pins = await reportsInView(map.getBox(), PIN_LIMIT);
        if (!alive || ticket !== latest) return; // an older answer after a newer question
        mark('pins-answered');
        map.setPins(pins);
        mark('pins-drawn');
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
      safetyTicket.current++; // a safety map still on its way is not wanted any more
      reload.cancel();
      mapRef.current = null;
      map.destroy();
    };
  }, []);

  // After the map is made (the effect above), so the first drawing finds it.
  useEffect(() => {
    mapRef.current?.setSafety(drawn, setPicked);
  }, [drawn]);

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
        data-safety-cells={drawn ? drawn.length : undefined}
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
        {safetyOn && (
          <div class="safety-sheet" data-testid="safety-sheet">
            <ErrorMessage error={safetyError} testid="safety-error" />
            {drawn && layer ? (
              <>
                <SafetyCounts cells={drawn} dayPart={dayPart} />
                {cell ? (
                  <SafetyCellPanel cell={cell} form={form} onClose={() => setPicked(null)} />
                ) : (
                  <SafetyInfo cells={drawn} fetchedAt={layer.fetchedAt} />
                )}
              </>
            ) : (
              !safetyError && <p>{t('app.loading')}</p>
            )}
          </div>
        )}
        <div class="safety-bar">
          <button
            type="button"
            class="btn small safety-toggle"
            aria-pressed={safetyOn}
            onClick={toggleSafety}
            data-testid="safety-toggle"
          >
            <Icon name="hex" />
            {t('safety.toggle')}
          </button>
          {safetyOn && <DayPartSwitch value={dayPart} onChange={chooseDayPart} />}
        </div>
        <a class="btn primary lapor" href={href({ name: 'new' })} data-testid="lapor">
          <Icon name="plus" />
          {t('map.report')}
        </a>
      </div>
    </main>
  );
}
