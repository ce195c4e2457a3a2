// The inputs a lifecycle step may need, shared by a report's steps and field mode: a reason from
// the fixed list, an agency, a note, the original of a duplicate, a photo.
import { useEffect, useState } from 'preact/hooks';
import type { AgencyInfo, CategoryInfo, CommandError, NearbyReport, RejectReason, StagedPhoto } from '../ipc/bindings';
import { nearbyOpen, stagePhoto, toCommandError } from '../ipc/commands';
import { useI18n } from '../i18n';
import { formatDateTime, formatDistance } from '../i18n/format';
import { DUPLICATE_RADIUS_M, duplicateCandidates } from '../logic/lifecycle';
import { categoryName, reasonName } from '../logic/words';
import { useApp } from '../state';
import { ErrorMessage } from './ErrorMessage';
import { PhotoButton } from './PhotoButton';

export function ReasonPicker({ value, onChange }: { value: RejectReason | null; onChange: (r: RejectReason) => void }) {
  const tr = useI18n();
  const { stepRules } = useApp();
  return (
    <fieldset class="choices" data-testid="reason-picker">
      <legend>{tr.t('step.reason')}</legend>
      {stepRules.rejectReasons.map(({ reason: r }) => (
        <label key={r} class="choice">
          <input
            type="radio"
            name="reason"
            value={r}
            checked={value === r}
            onChange={() => onChange(r)}
            data-testid={`reason-${r}`}
          />
          <span>{reasonName(tr, r)}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function AgencySelect({
  agencies,
  value,
  onChange,
  matrixDefault = false,
}: {
  agencies: readonly AgencyInfo[];
  value: string | null;
  onChange: (code: string | null) => void;
  /** Offer "as the kewenangan matrix says" (empty) as the first choice. */
  matrixDefault?: boolean;
}) {
  const { t, lang } = useI18n();
  return (
    <label class="field">
      <span class="label">{t('step.agency')}</span>
      <select
        value={value ?? ''}
        onChange={(e) => onChange(e.currentTarget.value || null)}
        data-testid="agency-select"
      >
        <option value="">{matrixDefault ? t('step.agencyDefault') : t('step.agencyChoose')}</option>
        {agencies.map((a) => (
          <option key={a.code} value={a.code}>
            {lang === 'id' ? a.nameId : a.nameEn}
          </option>
        ))}
      </select>
    </label>
  );
}

export function NoteField({ value, onInput, required }: { value: string; onInput: (v: string) => void; required: boolean }) {
  const { t } = useI18n();
  return (
    <label class="field">
      <span class="label">{required ? t('step.noteRequired') : t('step.note')}</span>
      <textarea
        rows={3}
        value={value}
        required={required}
        onInput={(e) => onInput(e.currentTarget.value)}
        data-testid="step-note"
      />
    </label>
  );
}

/** Open reports of the same category near `point`, to pick the one this report repeats. */
export function DuplicatePicker({
  self,
  point,
  category,
  categories,
  value,
  onChange,
}: {
  self: string;
  point: { lat: number; lon: number };
  category: string;
  categories: readonly CategoryInfo[];
  value: string | null;
  onChange: (id: string) => void;
}) {
  const { t, lang } = useI18n();
  const [list, setList] = useState<NearbyReport[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  useEffect(() => {
    let alive = true;
    nearbyOpen(point.lat, point.lon, category, DUPLICATE_RADIUS_M)
      .then((l) => alive && setList(duplicateCandidates(l, self)))
      .catch((e) => alive && setError(toCommandError(e)));
    return () => {
      alive = false;
    };
  }, [self, point.lat, point.lon, category]);
  if (error) return <ErrorMessage error={error} />;
  if (!list) return <p>{t('app.loading')}</p>;
  if (list.length === 0) return <p data-testid="no-originals">{t('step.noOriginals')}</p>;
  return (
    <fieldset class="choices" data-testid="original-picker">
      <legend>{t('step.original')}</legend>
      {list.map((r) => (
        <label key={r.id} class="choice">
          <input
            type="radio"
            name="original"
            value={r.id}
            checked={value === r.id}
            onChange={() => onChange(r.id)}
            data-testid="original-option"
          />
          <span>
            <strong>{categoryName(categories, r.category, lang)}</strong>
            {' · '}
            {t('nearby.distance', { d: formatDistance(r.distanceM, lang) })}
            {' · '}
            {formatDateTime(r.createdAt, lang)}
            {r.description && <span class="block">{r.description}</span>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** One photo for a step, taken with the camera (or chosen), shrunk and kept by the backend. */
export function StepPhoto({
  value,
  onChange,
  required,
}: {
  value: StagedPhoto | null;
  onChange: (p: StagedPhoto | null) => void;
  required: boolean;
}) {
  const tr = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const pick = async ([file]: File[]) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      onChange(await stagePhoto(file.name, new Uint8Array(await file.arrayBuffer())));
    } catch (err) {
      onChange(null);
      setError(toCommandError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="stack">
      <PhotoButton icon="camera" camera disabled={busy} onFiles={(files) => void pick(files)} testid="step-photo-input">
        {busy ? tr.t('step.photoBusy') : required ? tr.t('step.photoRequired') : tr.t('step.photo')}
      </PhotoButton>
      {value?.dataUrl && (
        <img class="step-photo" src={value.dataUrl} width={value.width} height={value.height} alt={tr.t('step.photoAlt')} data-testid="step-photo" />
      )}
      <ErrorMessage error={error} testid="step-photo-error" />
    </div>
  );
}
