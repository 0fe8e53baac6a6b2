import { Link, data } from "react-router";

export async function loader() {
  throw data(null, { status: 404 });
}

export default function NotFound() {
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
