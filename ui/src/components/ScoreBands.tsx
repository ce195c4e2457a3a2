// The safety score's words and colours, shared by the map's legends, a cell of the safety map and
// an audit's detail: the bands, one score with its band, and ratings as labelled bars.
import type { AuditParameter, ParameterValue, ScoreBand } from '../ipc/bindings';
import { useI18n } from '../i18n';
import { formatNumber } from '../i18n/format';
import { rubric } from '../logic/audit';
import { BAND_COLOURS, OUTCOME_CODE, ratingShare } from '../logic/safety';
import { auditParameterName, bandName } from '../logic/words';
import { useApp } from '../state';

export function Swatch({ fill, stroke = '#fff', dashed = false }: { fill: string; stroke?: string; dashed?: boolean }) {
  return (
    <svg class="swatch" viewBox="0 0 20 20" aria-hidden="true">
      <rect
        x="2"
        y="2"
        width="16"
        height="16"
        rx="3"
        fill={fill}
        stroke={stroke}
        stroke-width={dashed ? 2.5 : 1.5}
        stroke-dasharray={dashed ? '4 3' : undefined}
      />
    </svg>
  );
}

/** Every band: its colour, its scores and its name, worst first (ronda-core's bands). */
export function ScoreBandList() {
  const tr = useI18n();
  const { scoreBands } = useApp();
  return (
    <ul class="score-bands">
      {scoreBands.map((b) => (
        <li key={b.band} data-band={b.band}>
          <Swatch fill={BAND_COLOURS[b.band]} />
          <span class="range">
            {b.min}–{b.max}
          </span>{' '}
          {bandName(tr, b.band)}
        </li>
      ))}
    </ul>
  );
}

/** The bands as one line of colours with their lower bounds: the folded legend. */
export function ScoreStrip() {
  const { scoreBands } = useApp();
  return (
    <span class="score-strip" aria-hidden="true">
      {scoreBands.map((b) => (
        <span key={b.band} class="score-chip" style={{ background: BAND_COLOURS[b.band] }}>
          {b.min}
        </span>
      ))}
    </span>
  );
}

/** "Skor 72/100 · Cukup aman" with the band's colour. */
export function ScoreLine({ score, band, testid }: { score: number; band: ScoreBand; testid?: string }) {
  const tr = useI18n();
  return (
    <p class="score-line" data-testid={testid} data-score={Math.round(score)} data-band={band}>
      <Swatch fill={BAND_COLOURS[band]} />
      <strong>{tr.t('safety.score', { score: formatNumber(score, tr.lang) })}</strong>
      <span>· {bandName(tr, band)}</span>
    </p>
  );
}

type BarsProps = {
  values: readonly ParameterValue[];
  form: readonly AuditParameter[] | null;
  testid: string;
  /** Whole ratings of one audit: show what the level means. */
  rubrics?: boolean;
};

/** The eight place parameters as bars 0–3, then rasa aman set apart: the outcome they
 *  explain, not part of the score. */
export function ParameterBars({ values, form, testid, rubrics = false }: BarsProps) {
  const place = values.filter((v) => v.code !== OUTCOME_CODE);
  const outcome = values.filter((v) => v.code === OUTCOME_CODE);
  return (
    <>
      <ul class="param-bars">
        {place.map((v) => (
          <Bar key={v.code} value={v} form={form} testid={testid} rubrics={rubrics} />
        ))}
      </ul>
      {outcome.length > 0 && (
        <ul class="param-bars outcome">
          {outcome.map((v) => (
            <Bar key={v.code} value={v} form={form} testid={testid} rubrics={rubrics} outcome />
          ))}
        </ul>
      )}
    </>
  );
}

function Bar({
  value,
  form,
  testid,
  rubrics,
  outcome = false,
}: {
  value: ParameterValue;
  form: readonly AuditParameter[] | null;
  testid: string;
  rubrics: boolean;
  outcome?: boolean;
}) {
  const { t, lang } = useI18n();
  const share = ratingShare(value.value);
  const p = form?.find((x) => x.code === value.code);
  const level = rubrics && p ? rubric(p, lang)[Math.round(value.value)] : undefined;
  return (
    <li data-testid={testid} data-code={value.code} data-value={value.value}>
      <span class="param-name">
        {auditParameterName(form, value.code, lang)}
        {outcome && <span class="outcome-note"> ({t('safety.outcomeNote')})</span>}
      </span>
      <span class="param-value">{formatNumber(value.value, lang, 1)}/3</span>
      <span class="param-bar" aria-hidden="true">
        <span style={{ width: `${share}%`, background: BAND_COLOURS[value.band] }} />
      </span>
      {level && <span class="param-rubric">{level}</span>}
    </li>
  );
}
