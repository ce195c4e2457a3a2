// The safety audit, made to take under a minute with one hand at night: a dark screen, nine
// rows of four big buttons (0 to 3, with what the chosen level means), an optional note and
// photo folded away, then the place. Saved on the phone at once; a 0 for lighting or the walk
// path offers, with one tap, the report that gets it fixed.
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { Icon } from '../components/Icon';
import { PhotoButton } from '../components/PhotoButton';
import type { AuditParameter, CommandError } from '../ipc/bindings';
import { attachPhoto, auditForm, createReport, toCommandError } from '../ipc/commands';
import { useI18n } from '../i18n';
import { completeRatings, emptyRatings, parameterName, ratedCount, rubric, type Ratings } from '../logic/audit';
import { href } from '../logic/route';
import { DESCRIPTION_MAX_CHARS, descriptionLength, draftDescription } from '../logic/text';
import { categoryName, errorText } from '../logic/words';
import { useApp } from '../state';
import { StepWhere, type Place } from './report/StepWhere';

type Saved = { id: string; suggested: string[]; place: Place; photoError: CommandError | null };

export function AuditFlow() {
  const tr = useI18n();
  const { t, lang } = tr;
  const app = useApp();
  const [form, setForm] = useState<AuditParameter[] | null>(null);
  const [ratings, setRatings] = useState<Ratings>([]);
  const [where, setWhere] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [reported, setReported] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);

  useEffect(() => {
    let alive = true;
    auditForm()
      .then((f) => {
        if (!alive) return;
        setForm(f);
        setRatings(emptyRatings(f.length));
      })
      .catch((e) => alive && setError(toCommandError(e)));
    return () => {
      alive = false;
    };
  }, []);

  const rate = (i: number, value: number) => setRatings((r) => r.map((x, j) => (j === i ? value : x)));
  const complete = completeRatings(ratings);

  const save = async (place: Place) => {
    if (!complete || saving) return;
    setSaving(true);
    setError(null);
    try {
      const created = await createReport({
        kind: 'audit',
        category: 'audit-keamanan',
        lat: place.lat,
        lon: place.lon,
        accuracyM: place.accuracyM,
        source: place.source,
        capturedAt: place.capturedAt,
        description: draftDescription(note),
        ratings: complete,
      });
      // The audit is saved whatever happens to its photo; a photo that fails is said so.
      let photoError: CommandError | null = null;
      if (photo) {
        try {
          await attachPhoto(created.id, photo.name, new Uint8Array(await photo.arrayBuffer()));
        } catch (e) {
          photoError = toCommandError(e);
        }
      }
      setSaved({ id: created.id, suggested: created.suggested, place, photoError });
      void app.refresh().catch(() => {});
    } catch (e) {
      setError(toCommandError(e));
    } finally {
      setSaving(false);
    }
  };

  const report = async (category: string) => {
    if (!saved || reported.includes(category)) return;
    setError(null);
    try {
      await createReport({
        kind: 'laporan',
        category,
        lat: saved.place.lat,
        lon: saved.place.lon,
        accuracyM: saved.place.accuracyM,
        source: saved.place.source,
        capturedAt: saved.place.capturedAt,
        description: t('audit.fixDescription'),
        ratings: null,
      });
      setReported((r) => [...r, category]);
      void app.refresh().catch(() => {});
    } catch (e) {
      setError(toCommandError(e));
    }
  };

  return (
    <main class="screen audit dark" data-testid="audit">
      <a class="back" href={href({ name: 'map' })} data-testid="back">
        <Icon name="back" />
        {t('common.back')}
      </a>
      <h1>{t('audit.title')}</h1>
      <ErrorMessage error={error} testid="audit-error" />
      {saved ? (
        <section class="stack" data-testid="audit-saved" data-report-id={saved.id}>
          <p class="notice" role="status">
            <Icon name="check" />
            {t('audit.saved')}
          </p>
          {saved.photoError && photo && (
            <p class="warning" data-testid="photo-failed">
              {t('saved.photoFailed', { name: photo.name, reason: errorText(tr, saved.photoError) })}
            </p>
          )}
          {saved.suggested.length > 0 && <h2>{t('audit.suggestTitle')}</h2>}
          {saved.suggested.map((c) =>
            reported.includes(c) ? (
              <p key={c} class="done" data-testid="suggestion-sent" data-category={c}>
                <Icon name="check" />
                {t('audit.suggestSent', { category: categoryName(app.categories, c, lang) })}
              </p>
            ) : (
              <button
                key={c}
                type="button"
                class="btn primary"
                onClick={() => void report(c)}
                data-testid="suggestion"
                data-category={c}
              >
                {t('audit.suggest', { category: categoryName(app.categories, c, lang) })}
              </button>
            ),
          )}
          <a class="btn" href={href({ name: 'map' })} data-testid="audit-done">
            {t('audit.done')}
          </a>
        </section>
      ) : where ? (
        <section class="stack">
          <StepWhere onPlace={(p) => void save(p)} />
          <button type="button" class="btn" onClick={() => setWhere(false)} data-testid="audit-back-to-ratings">
            {t('audit.backToRatings')}
          </button>
        </section>
      ) : (
        form && (
          <section class="stack">
            <p class="hint" data-testid="audit-progress">
              {t('audit.progress', { n: ratedCount(ratings), total: form.length })}
            </p>
            <ol class="audit-params">
              {form.map((p, i) => {
                const chosen = ratings[i] ?? null;
                return (
                  <li key={p.code} data-testid="audit-param" data-param={p.code} data-rating={chosen ?? ''}>
                    <h2>{parameterName(p, lang)}</h2>
                    <div class="levels" role="radiogroup" aria-label={parameterName(p, lang)}>
                      {[0, 1, 2, 3].map((v) => (
                        <button
                          key={v}
                          type="button"
                          role="radio"
                          aria-checked={chosen === v}
                          class={chosen === v ? 'level chosen' : 'level'}
                          title={rubric(p, lang)[v]}
                          onClick={() => rate(i, v)}
                          data-testid="audit-level"
                        >
                          {v}
                        </button>
                      ))}
                    </div>
                    <p class="rubric" data-testid="audit-rubric">
                      {chosen === null ? t('audit.choose') : rubric(p, lang)[chosen]}
                    </p>
                  </li>
                );
              })}
            </ol>
            <details class="audit-extra" data-testid="audit-extra">
              <summary>{t('audit.extra')}</summary>
              <label class="field">
                <span>{t('audit.note')}</span>
                <textarea
                  rows={3}
                  value={note}
                  onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
                  data-testid="audit-note"
                />
              </label>
              {descriptionLength(note) > DESCRIPTION_MAX_CHARS && (
                <p class="warning" role="status">
                  {t('proof.tooLong', { max: DESCRIPTION_MAX_CHARS })}
                </p>
              )}
              {photo ? (
                <p class="audit-photo" data-testid="audit-photo">
                  <Icon name="image" />
                  <span>{photo.name}</span>
                  <button type="button" class="btn small" onClick={() => setPhoto(null)} data-testid="audit-photo-remove">
                    {t('audit.removePhoto')}
                  </button>
                </p>
              ) : (
                <PhotoButton icon="camera" camera onFiles={([file]) => setPhoto(file ?? null)} testid="audit-photo-input">
                  {t('proof.camera')}
                </PhotoButton>
              )}
            </details>
            <button
              type="button"
              class="btn primary"
              disabled={!complete || saving || descriptionLength(note) > DESCRIPTION_MAX_CHARS}
              onClick={() => setWhere(true)}
              data-testid="audit-next"
            >
              {t('audit.next')}
            </button>
          </section>
        )
      )}
    </main>
  );
}
