// Step 3: photos and a description, then save. Nearby open reports of the same category are
// shown first, so a duplicate can become support instead.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../../components/Icon';
import { PhotoButton } from '../../components/PhotoButton';
import type { CategoryInfo, NearbyReport } from '../../ipc/bindings';
import { nearbyOpen } from '../../ipc/commands';
import { useI18n } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import { DESCRIPTION_MAX_CHARS, descriptionLength } from '../../logic/text';
import { Nearby } from './Nearby';

/** ronda-core's `NewReport::MAX_PHOTOS`. */
export const MAX_PHOTOS = 8;
/** How far around the point to look for the same problem already reported. */
export const NEARBY_RADIUS_M = 150;

export type Photo = { key: number; file: File; url: string | null };

let nextKey = 1;

const previewUrl = (file: File): string | null =>
  typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null;

const releaseUrl = (photo: Photo) => {
  if (photo.url && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(photo.url);
};

export function StepProof({
  point,
  category,
  categories,
  photos,
  onPhotos,
  description,
  onDescription,
  saving,
  onSave,
}: {
  point: { lat: number; lon: number };
  category: CategoryInfo;
  categories: readonly CategoryInfo[];
  photos: readonly Photo[];
  onPhotos: (photos: Photo[]) => void;
  description: string;
  onDescription: (text: string) => void;
  saving: boolean;
  onSave: () => void;
}) {
  const { t, lang } = useI18n();
  const [nearby, setNearby] = useState<NearbyReport[]>([]);
  const [tooMany, setTooMany] = useState(false);
  const photosRef = useRef(photos);
  photosRef.current = photos;

  useEffect(() => {
    let alive = true;
    nearbyOpen(point.lat, point.lon, category.code, NEARBY_RADIUS_M)
      .then((list) => alive && setNearby(list))
      .catch(() => alive && setNearby([])); // only a hint: never in the way of reporting
    return () => {
      alive = false;
    };
  }, [point.lat, point.lon, category.code]);

  const add = (files: File[]) => {
    const room = MAX_PHOTOS - photosRef.current.length;
    setTooMany(files.length > room);
    const added = files.slice(0, Math.max(0, room)).map((file) => ({ key: nextKey++, file, url: previewUrl(file) }));
    if (added.length > 0) onPhotos([...photosRef.current, ...added]);
  };

  const remove = (key: number) => {
    const photo = photosRef.current.find((p) => p.key === key);
    if (photo) releaseUrl(photo);
    setTooMany(false);
    onPhotos(photosRef.current.filter((p) => p.key !== key));
  };

  const length = descriptionLength(description);
  const tooLong = length > DESCRIPTION_MAX_CHARS;
  const full = photos.length >= MAX_PHOTOS;

  return (
    <section class="stack">
      <h2>{t('proof.title')}</h2>
      <Nearby reports={nearby} categories={categories} />

      <fieldset class="photos">
        <legend>{t('proof.photos')}</legend>
        <div class="photo-buttons">
          <PhotoButton icon="camera" camera multiple disabled={full} onFiles={add} testid="photo-input">
            {t('proof.camera')}
          </PhotoButton>
          <PhotoButton icon="image" multiple disabled={full} onFiles={add} testid="photo-gallery-input">
            {t('proof.gallery')}
          </PhotoButton>
        </div>
        <p class="hint" data-testid="photo-count">
          {t('proof.photoCount', { n: photos.length, max: MAX_PHOTOS })}
        </p>
        {tooMany && (
          <p class="warning" role="status">
            {t('proof.tooManyPhotos', { max: MAX_PHOTOS })}
          </p>
        )}
        {photos.length > 0 && (
          <ul class="thumbs">
            {photos.map((p, i) => (
              <li key={p.key} data-testid="photo-thumb">
                {p.url ? <img src={p.url} alt={p.file.name} /> : <span class="thumb-name">{p.file.name}</span>}
                <button
                  type="button"
                  class="remove"
                  aria-label={t('proof.removePhoto', { n: i + 1 })}
                  onClick={() => remove(p.key)}
                  data-testid={`photo-remove-${i}`}
                >
                  <Icon name="close" />
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>

      <label class="field">
        <span class="label">{t('proof.description')}</span>
        <textarea
          rows={4}
          value={description}
          onInput={(e) => onDescription(e.currentTarget.value)}
          aria-describedby="description-count"
          aria-invalid={tooLong}
          data-testid="description"
          placeholder={t('proof.descriptionHint')}
        />
        <span
          id="description-count"
          class={tooLong ? 'counter over' : 'counter'}
          aria-live="polite"
          data-testid="description-count"
        >
          {t('proof.counter', { n: formatNumber(length, lang), max: formatNumber(DESCRIPTION_MAX_CHARS, lang) })}
        </span>
      </label>
      {tooLong && (
        <p class="error" role="alert">
          {t('proof.tooLong', { max: formatNumber(DESCRIPTION_MAX_CHARS, lang) })}
        </p>
      )}

      <div class="bottom-bar">
        <button
          type="button"
          class="btn primary"
          disabled={saving || tooLong}
          onClick={onSave}
          data-testid="save"
        >
          {saving ? t('proof.saving') : t('proof.save')}
        </button>
      </div>
    </section>
  );
}
