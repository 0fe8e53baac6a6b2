import { Form, Link } from "@remix-run/react";
import { displayName, useOrganizationsEnabled, useUser } from "clerk-edge-auth/remix/react";
import { Avatar } from "./avatar";

/**
 * Clerk's `<UserButton>` on our sessions: avatar and name, opening a panel with the email, links
 * and sign-out. A <details> element, so it opens and signs out without JavaScript too.
 */
export function UserMenu() {
  const { user } = useUser();
  const organizations = useOrganizationsEnabled();
  if (!user) return null;
  return (
    <details className="user-menu">
      <summary aria-label={`Account menu for ${displayName(user)}`}>
        <Avatar name={displayName(user)} imageUrl={user.imageUrl} />
        <span className="user-menu-name">{displayName(user)}</span>
      </summary>
      <div className="user-menu-panel">
        <p className="user-menu-who">
          <strong>{displayName(user)}</strong>
          {user.email ? <span>{user.email}</span> : null}
        </p>
        <Link to="/private">Your account</Link>
        <Link to="/profile">Edit profile</Link>
        <Link to="/account/sessions">Devices and sessions</Link>
        {organizations ? <Link to="/org">Organizations</Link> : null}
        <Form method="post" action="/logout">
          <button type="submit" className="button button-secondary">
            Sign out
          </button>
        </Form>
      </div>
    </details>
  );
}
