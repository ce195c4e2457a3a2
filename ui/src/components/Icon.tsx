// Every glyph the app shows, drawn inline (24×24, stroked in the text colour): no icon font, no
// image file, nothing to fetch.

const GLYPHS: Record<string, string> = {
  // Category icons, by the catalogue's icon names.
  road: 'M8 3 5 21M16 3l3 18M12 4v3M12 10.5v3M12 17v3',
  sidewalk: 'M3 8h18v11H3zM3 13.5h18M9 8v5.5M15 8v5.5M6 13.5V19M12 13.5V19M18 13.5V19',
  streetlight: 'M6 21h6M9 21V5a2 2 0 0 1 2-2h5M16 3v2M13.5 5h5l-1 3h-3z',
  cable: 'M4 3v18M20 3v18M4 6c5 6 11 6 16 0M4 9c4 8 9 9 12 12',
  flood: 'M3 15c2-2 4-2 6 0s4 2 6 0 4-2 6 0M3 20c2-2 4-2 6 0s4 2 6 0 4-2 6 0M7 11V7l5-3 5 3v4',
  drain: 'M4 5h16v14H4zM8 5v14M12 5v14M16 5v14',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 14h10l1-14M10 11v6M14 11v6',
  pollution: 'M12 3c3 4 6 7.5 6 11a6 6 0 0 1-12 0c0-3.5 3-7 6-11zM9.5 12.5l5 5M14.5 12.5l-5 5',
  tree: 'M12 22v-8M12 3a6 6 0 0 0-6 6c0 3 2.5 5 6 5s6-2 6-5a6 6 0 0 0-6-6zM12 17l-3-2',
  park: 'M6 7h12v4H6zM4 11h16M4 15h16M6 15v5M18 15v5',
  parking: 'M5 3h14v18H5zM10 17V7h3a3 3 0 0 1 0 6h-3',
  'traffic-light':
    'M8 2h8v16H8zM12 18v4M11 6a1 1 0 1 0 2 0a1 1 0 1 0-2 0M11 10a1 1 0 1 0 2 0a1 1 0 1 0-2 0M11 14a1 1 0 1 0 2 0a1 1 0 1 0-2 0',
  vendor: 'M3 9l2-5h14l2 5M3 9h18M5 9v11h14V9M9 20v-6h6v6',
  building: 'M4 21V8l8-5 8 5v13M2 21h20M9 21v-6h6v6M10 10h4',
  facility: 'M14.5 6.5a4 4 0 0 0-5.3 5.3L3 18l3 3 6.2-6.2a4 4 0 0 0 5.3-5.3L15 12l-2.5-.5L12 9z',
  mosquito: 'M12 8v10M9 5l3 3 3-3M12 11 6 7M12 11l6-4M12 14l-5 4M12 14l5 4M12 16l-3 5M12 16l3 5',
  person: 'M12 3a3 3 0 1 1 0 6a3 3 0 1 1 0-6zM5 21c0-4 3-7 7-7s7 3 7 7',
  noise: 'M4 9h4l6-5v16l-6-5H4zM17 9c1 1 1 5 0 6M19.5 6.5c2.5 2.5 2.5 8.5 0 11',
  fire: 'M12 3c1 4 6 6 6 11a6 6 0 0 1-12 0c0-3 2-5 3-6 0 2 1 3 2 3 0-3-1-5 1-8z',
  dark: 'M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z',
  lonely: 'M4 21l4-9h8l4 9M12 13v2M12 17.5v2M16 3a3 3 0 1 0 3 4 3 3 0 0 1-3-4z',
  crime: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM12 8v5M12 16v.5',
  harassment:
    'M7 11V5a1.5 1.5 0 0 1 3 0v5M10 9V3.5a1.5 1.5 0 0 1 3 0V10M13 9V4.5a1.5 1.5 0 0 1 3 0V11M16 10V7.5a1.5 1.5 0 0 1 3 0V14a7 7 0 0 1-7 7h-1a6 6 0 0 1-5-3l-2.5-4.5a1.5 1.5 0 0 1 2.5-1.5L7 13',
  fight: 'M13 2 4 14h7l-1 8 9-12h-7z',
  audit: 'M9 3h6v3H9zM7 4.5H5V21h14V4.5h-2M8.5 14l2.5 2.5 4.5-5',
  // Interface glyphs.
  dot: 'M12 8a4 4 0 1 1 0 8a4 4 0 1 1 0-8z',
  map: 'M3 6l6-3 6 3 6-3v15l-6 3-6-3-6 3zM9 3v15M15 6v15',
  list: 'M8 6h13M8 12h13M8 18h13M3 6h1M3 12h1M3 18h1',
  settings: 'M4 6h10M18 6h2M16 4v4M4 12h4M12 12h8M10 10v4M4 18h12M20 18h0M18 16v4',
  phone: 'M5 3h4l2 5-3 2a11 11 0 0 0 6 6l2-3 5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 3 5a2 2 0 0 1 2-2z',
  camera: 'M4 7h3l2-3h6l2 3h3v13H4zM12 10a3.5 3.5 0 1 1 0 7a3.5 3.5 0 1 1 0-7z',
  image: 'M4 4h16v16H4zM4 16l5-5 4 4 3-3 4 4M14 8.5a1 1 0 1 0 2 0a1 1 0 1 0-2 0',
  close: 'M6 6l12 12M18 6 6 18',
  plus: 'M12 5v14M5 12h14',
  back: 'M15 5l-7 7 7 7',
  check: 'M5 12l5 5 9-10',
  sync: 'M20 12a8 8 0 0 1-14 5M4 12a8 8 0 0 1 14-5M18 3v4h-4M6 21v-4h4',
  pin: 'M12 21s7-6.5 7-12a7 7 0 0 0-14 0c0 5.5 7 12 7 12zM12 6.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5z',
  warning: 'M12 3 2 20h20zM12 9v5M12 17v.5',
  bell: 'M6 17v-6a6 6 0 0 1 12 0v6l2 2H4zM10 21h4',
  walk: 'M13 4a1.5 1.5 0 1 1 0 .01M10 21l2-6 3 3v3M8 12l3-4 3 1 2 3M12 15l-1-5',
  hex: 'M12 2.5l8.2 4.75v9.5L12 21.5l-8.2-4.75v-9.5zM12 8.5l3 1.75v3.5L12 15.5l-3-1.75v-3.5z',
};

export const hasGlyph = (name: string): boolean => Object.prototype.hasOwnProperty.call(GLYPHS, name);

export function Icon({ name, class: cls }: { name: string; class?: string }) {
  const d = GLYPHS[name] ?? GLYPHS.dot;
  return (
    <svg
      class={cls ? `icon ${cls}` : 'icon'}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d={d} />
    </svg>
  );
}
