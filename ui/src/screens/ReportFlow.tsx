// Making a report: what (category), where (GPS or map), proof (photos, description); then it is
// saved on the phone at once and sent by the sync engine when there is a signal.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import type { CommandError, ReportDraft } from '../ipc/bindings';
import { attachPhoto, createReport, toCommandError } from '../ipc/commands';
import { useI18n } from '../i18n';
import { errorText } from '../logic/words';
import { draftDescription } from '../logic/text';
import { href } from '../logic/route';
import { useApp } from '../state';
import { StepIndicator } from './report/StepIndicator';
import { StepProof, type Photo } from './report/StepProof';
import { StepWhat, type Choice } from './report/StepWhat';
import { StepWhere, type Place } from './report/StepWhere';

type Saved = { id: string; photoFailures: { name: string; error: CommandError }[] };

export function ReportFlow() {
  const tr = useI18n();
  const { t } = tr;
  const app = useApp();
  const [step, setStep] = useState<1 | 2 | 3>(1);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [place, setPlace] = useState<Place | null>(null);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [description, setDescription] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  const top = useRef<HTMLDivElement>(null);

  // Each step starts at the top of the screen.
  useEffect(() => {
    top.current?.scrollIntoView?.({ block: 'start' });
  }, [step, saved]);

  // Release the photo previews when the flow is left.
  const photosRef = useRef(photos);
  photosRef.current = photos;
  useEffect(
    () => () => {
      for (const p of photosRef.current) if (p.url) URL.revokeObjectURL?.(p.url);
    },
    [],
  );

  const save = async () => {
    if (!choice || !place || saving) return;
    const draft: ReportDraft = {
      kind: choice.kind,
      category: choice.category.code,
      lat: place.lat,
      lon: place.lon,
      accuracyM: place.accuracyM,
      source: place.source,
      capturedAt: place.capturedAt,
      description: draftDescription(description),
      ratings: null,
    };
    setSaving(true);
    setError(null);
    try {
      const { id } = await createReport(draft);
      const photoFailures: Saved['photoFailures'] = [];
      for (const p of photos) {
        try {
          await attachPhoto(id, p.file.name, new Uint8Array(await p.file.arrayBuffer()));
        } catch (e) {
          photoFailures.push({ name: p.file.name, error: toCommandError(e) });
        }
      }
      setSaved({ id, photoFailures });
      void app.refresh().catch(() => {});
    } catch (e) {
      setError(toCommandError(e));
    } finally {
      setSaving(false);
    }
  };

  if (saved) {
    const local = app.state.account.kind !== 'signedIn';
    return (
      <main class="screen flow" data-testid="saved-confirmation" data-report-id={saved.id}>
        <div ref={top} />
        <div class="saved" role="status">
          <Icon name="check" class="big-check" />
          <h1>{t('saved.title')}</h1>
          <p>{local ? t('saved.textLocal') : t('saved.textSignedIn')}</p>
        </div>
        {saved.photoFailures.map((f) => (
          <p key={f.name} class="warning" data-testid="photo-failed">
            {t('saved.photoFailed', { name: f.name, reason: errorText(tr, f.error) })}
          </p>
        ))}
        <div class="actions bottom-bar">
          <a class="btn primary" href={href({ name: 'reports' })} data-testid="saved-my-reports">
            {t('saved.myReports')}
          </a>
          <a class="btn" href={href({ name: 'map' })} data-testid="saved-map">
            {t('saved.backToMap')}
          </a>
        </div>
      </main>
    );
  }

  const back = () => {
    setError(null);
    if (step === 1) window.location.hash = href({ name: 'map' });
    else setStep(step === 3 ? 2 : 1);
  };

  return (
    <main class="screen flow" data-testid="report-flow">
      <div ref={top} />
      <header class="flow-head">
        <h1>{t('flow.title')}</h1>
        <StepIndicator step={step} />
      </header>
      {step === 1 && (
        <StepWhat
          categories={app.categories}
          initial={choice}
          onChoose={(c) => {
            setChoice(c);
            setStep(2);
          }}
        />
      )}
      {step === 2 && (
        <StepWhere
          onPlace={(p) => {
            setPlace(p);
            setStep(3);
          }}
        />
      )}
      {step === 3 && choice && place && (
        <StepProof
          point={place}
          category={choice.category}
          categories={app.categories}
          photos={photos}
          onPhotos={setPhotos}
          description={description}
          onDescription={setDescription}
          saving={saving}
          onSave={save}
        />
      )}
      <ErrorMessage error={error} testid="save-error" />
      <div class="actions">
        <button type="button" class="btn" onClick={back} data-testid="flow-back">
          <Icon name="back" />
          {step === 1 ? t('flow.cancel') : t('common.back')}
        </button>
      </div>
    </main>
  );
}
