// A big button that opens the camera (or the gallery) and hands over the chosen photos. The
// file input sits inside the label, so the whole button is the touch target.
import type { ComponentChildren } from 'preact';
import { Icon } from './Icon';

export function PhotoButton({
  icon,
  children,
  camera = false,
  multiple = false,
  disabled = false,
  onFiles,
  testid,
}: {
  icon: string;
  children: ComponentChildren;
  /** Ask for the back camera first (`capture`), not the gallery. */
  camera?: boolean;
  multiple?: boolean;
  disabled?: boolean;
  onFiles: (files: File[]) => void;
  testid: string;
}) {
  return (
    <label class={disabled ? 'btn disabled' : 'btn'}>
      <Icon name={icon} />
      {children}
      <input
        class="visually-hidden"
        type="file"
        accept="image/*"
        capture={camera ? 'environment' : undefined}
        multiple={multiple}
        disabled={disabled}
        onChange={(e) => {
          const input = e.currentTarget as HTMLInputElement;
          const files = Array.from(input.files ?? []);
          input.value = ''; // the same photo can be chosen again after removing it
          if (files.length > 0) onFiles(files);
        }}
        data-testid={testid}
      />
    </label>
  );
}
