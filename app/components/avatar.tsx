import type { SessionUser } from "~/auth/session-user";
import { displayName } from "~/auth/session-user";

// The CSP allows images from here only; any other URL would render broken, so initials stand in.
const ALLOWED_IMAGE = /^(data:image\/|https:\/\/img\.clerk\.com\/)/;

export function Avatar({ user, size = "small" }: { user: SessionUser; size?: "small" | "large" }) {
  const className = `avatar avatar-${size}`;
  if (user.imageUrl && ALLOWED_IMAGE.test(user.imageUrl)) {
    return <img className={className} src={user.imageUrl} alt="" />;
  }
  return (
    <span className={className} aria-hidden="true">
      {initials(user)}
    </span>
  );
}

function initials(user: SessionUser): string {
  const fromNames = [user.firstName, user.lastName]
    .map((part) => part?.trim().charAt(0) ?? "")
    .join("");
  return (fromNames || displayName(user).charAt(0)).toUpperCase();
}
