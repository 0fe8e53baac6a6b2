// The CSP allows images from here only; any other URL would render broken, so initials stand in.
const ALLOWED_IMAGE = /^(data:image\/|https:\/\/img\.clerk\.com\/)/;

/** A round picture of the person, or their initials when there is no picture we may show. */
export function Avatar({
  name,
  imageUrl,
  size = "small",
}: {
  name: string;
  imageUrl: string | null;
  size?: "small" | "large";
}) {
  const className = `avatar avatar-${size}`;
  if (imageUrl && ALLOWED_IMAGE.test(imageUrl)) {
    return <img className={className} src={imageUrl} alt="" />;
  }
  return (
    <span className={className} aria-hidden="true">
      {initials(name)}
    </span>
  );
}

function initials(name: string): string {
  const words = name.split(/[\s@._-]+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((word) => word.charAt(0))
    .join("")
    .toUpperCase();
}
