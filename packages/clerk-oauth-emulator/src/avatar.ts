const COLORS = ["#6c47ff", "#0f766e", "#b45309", "#be123c", "#1d4ed8"];

function initialsOf(label: string): string {
  const words = label.split(/[\s@._-]+/).filter(Boolean);
  const letters =
    words.length > 1 ? `${words[0]?.[0]}${words[1]?.[0]}` : (words[0] ?? "?").slice(0, 2);
  return letters.toUpperCase();
}

/** A self-contained data: URI so no page rendering a user ever loads a third-party resource. */
export function initialsAvatar(label: string): string {
  const initials = initialsOf(label).replace(/[^A-Z0-9?]/g, "");
  const color = COLORS[label.length % COLORS.length];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="32" fill="${color}"/>` +
    `<text x="32" y="41" text-anchor="middle" font-family="sans-serif" font-size="24" ` +
    `fill="#fff">${initials}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
