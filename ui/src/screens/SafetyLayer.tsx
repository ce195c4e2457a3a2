// The safety map's parts on the home screen: the day/night switch, what the colours mean with
// how much is drawn, and the panel of one tapped cell.
import { useEffect, useRef } from 'preact/hooks';
import { Icon } from '../components/Icon';
import { ParameterBars, ScoreBandList, ScoreLine, ScoreStrip, Swatch } from '../components/ScoreBands';
import type { AuditParameter, DayPart, SafetyCell } from '../ipc/bindings';
import { useI18n } from '../i18n';
import { formatDateTime, formatDay } from '../i18n/format';
import { RAWAN_COLOUR, safetyCounts } from '../logic/safety';
import { dayPartName, dayPartWords } from '../logic/words';

const DAY_PARTS: readonly DayPart[] = ['siang', 'malam'];

export function DayPartSwitch({ value, onChange }: { value: DayPart; onChange: (part: DayPart) => void }) {
  const tr = useI18n();
  return (
    <div class="segmented" role="group" aria-label={tr.t('safety.dayPart')}>
      {DAY_PARTS.map((part) => (
        <button
          key={part}
          type="button"
          aria-pressed={value === part}
          onClick={() => onChange(part)}
          data-testid={`safety-day-${part}`}
        >
          {dayPartName(tr, part)}
        </button>
      ))}
    </div>
  );
}

/** How many cells and audits are drawn, for the chosen day part. */
export function SafetyCounts({ cells, dayPart }: { cells: readonly SafetyCell[]; dayPart: DayPart }) {
  const tr = useI18n();
  const n = safetyCounts(cells);
  return (
    <p class="safety-counts" aria-live="polite" data-testid="safety-counts" data-cells={n.cells} data-audits={n.audits}>
      {tr.tp('safety.counts', n.audits, { cells: tr.tp('safety.cells', n.cells), part: dayPartWords(tr, dayPart) })}
    </p>
  );
}

/** The bands, and why nothing is drawn when nothing is. */
export function SafetyInfo({ cells, fetchedAt }: { cells: readonly SafetyCell[]; fetchedAt: number | null }) {
  const { t, lang } = useI18n();
  return (
    <div class="safety-info">
      {fetchedAt === null ? (
        <p class="notice" data-testid="safety-never-fetched">
          {t('safety.never')}
        </p>
      ) : (
        cells.length === 0 && (
          <p class="notice" data-testid="safety-empty">
            {t('safety.empty')}
          </p>
        )
      )}
      {/* Folded to one line of colours, so the map stays in view on a small phone. */}
      <details class="safety-legend" data-testid="safety-legend">
        <summary>
          <span class="visually-hidden">{t('safety.legend')}</span>
          <ScoreStrip />
        </summary>
        <h2>{t('safety.legend')}</h2>
        <ScoreBandList />
        <p class="rawan-key">
          <Swatch fill="transparent" stroke={RAWAN_COLOUR} dashed />
          {t('safety.legendRawan')}
        </p>
        {fetchedAt !== null && (
          <p class="hint" data-testid="safety-fetched">
            {t('safety.fetchedAt', { when: formatDateTime(fetchedAt, lang) })}
          </p>
        )}
      </details>
    </div>
  );
}

type PanelProps = {
  cell: SafetyCell;
  form: readonly AuditParameter[] | null;
  onClose: () => void;
};

/** One cell: its score and band, how many audits from when, the flags, and the nine ratings. */
export function SafetyCellPanel({ cell, form, onClose }: PanelProps) {
  const tr = useI18n();
  const { t, tp, lang } = tr;
  const title = useRef<HTMLHeadingElement>(null);
  // A tap on the map moves on to the panel, so a screen reader reads what was tapped.
  useEffect(() => {
    title.current?.focus();
  }, [cell.h3, cell.dayPart]);

  const dates =
    cell.oldest && cell.newest
      ? cell.oldest === cell.newest
        ? t('safety.date', { date: formatDay(cell.newest, lang) })
        : t('safety.dates', { oldest: formatDay(cell.oldest, lang), newest: formatDay(cell.newest, lang) })
      : null;

  return (
    <section
      class="safety-cell"
      data-testid="safety-cell"
      data-h3={cell.h3}
      aria-labelledby="safety-cell-title"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div class="safety-cell-head">
        <h2 id="safety-cell-title" ref={title} tabIndex={-1}>
          {t('safety.cellTitle', { part: dayPartWords(tr, cell.dayPart) })}
        </h2>
        <button type="button" class="btn small" onClick={onClose} data-testid="safety-cell-close">
          <Icon name="close" />
          {t('safety.close')}
        </button>
      </div>
      {cell.score !== null && cell.band !== null ? (
        <ScoreLine score={cell.score} band={cell.band} testid="safety-cell-score" />
      ) : (
        <p data-testid="safety-cell-no-score">{t('safety.noScore')}</p>
      )}
      {cell.audits !== null && (
        <p>
          <span data-testid="safety-cell-audits" data-audits={cell.audits}>
            {tp('safety.audits', cell.audits)}
          </span>
          {dates && <span data-testid="safety-cell-dates">, {dates}</span>}
        </p>
      )}
      {cell.rawan !== null && (
        <p class="rawan-key" data-testid="safety-cell-rawan" data-rawan={cell.rawan}>
          <Swatch fill="transparent" stroke={RAWAN_COLOUR} dashed />
          {tp('safety.rawan', cell.rawan)}
        </p>
      )}
      {cell.parameters.length > 0 && (
        <>
          <h3>{t('safety.ratings')}</h3>
          <ParameterBars values={cell.parameters} form={form} testid="safety-parameter" />
        </>
      )}
    </section>
  );
}
