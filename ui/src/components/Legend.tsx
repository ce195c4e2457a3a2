import { useState } from 'preact/hooks';
import { useI18n, type MessageKey } from '../i18n';
import { KIND_COLOURS, STAGE_COLOURS, STAGES, type Stage } from '../logic/pins';
import { kindName, REPORT_KINDS } from '../logic/words';
import { ScoreBandList } from './ScoreBands';

const STAGE_KEYS: Record<Stage, MessageKey> = {
  new: 'stage.new',
  handling: 'stage.handling',
  done: 'stage.done',
  closed: 'stage.closed',
};

/** What the pin colours mean; folded away until asked for, to leave the map free. */
export function Legend() {
  const tr = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <div class="legend">
      <button
        type="button"
        class="btn small"
        aria-expanded={open}
        aria-controls="legend-panel"
        onClick={() => setOpen(!open)}
        data-testid="legend-toggle"
      >
        {tr.t('map.legend')}
      </button>
      {open && (
        <div id="legend-panel" class="legend-panel" data-testid="legend">
          <h2>{tr.t('map.legendStatus')}</h2>
          <ul>
            {STAGES.map((s) => (
              <li key={s}>
                <svg class="swatch" viewBox="0 0 20 20" aria-hidden="true">
                  <circle cx="10" cy="10" r="7" fill={STAGE_COLOURS[s]} stroke="#fff" stroke-width="1.5" />
                </svg>
                {tr.t(STAGE_KEYS[s])}
              </li>
            ))}
          </ul>
          <h2>{tr.t('map.legendKind')}</h2>
          <ul>
            {REPORT_KINDS.map((k) => (
              <li key={k}>
                <svg class="swatch" viewBox="0 0 20 20" aria-hidden="true">
                  <circle cx="10" cy="10" r="7" fill="#777" stroke={KIND_COLOURS[k]} stroke-width="3" />
                </svg>
                {kindName(tr, k)}
              </li>
            ))}
          </ul>
          <h2>{tr.t('map.legendScore')}</h2>
          <ScoreBandList />
        </div>
      )}
    </div>
  );
}
