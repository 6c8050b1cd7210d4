// JSON for people: indented, as text (never HTML), with a note when the server masked it.

/** A JSON value shown as indented text; `null`/absent values say so in words. */
export function JsonView({
  value,
  label,
  masked = false,
}: {
  value: unknown;
  label: string;
  masked?: boolean;
}) {
  const text = value === undefined ? 'Nothing' : JSON.stringify(value, null, 2);
  return (
    <figure className="sl-json">
      <figcaption className="sl-json__caption">
        {label}
        {masked && (
          <span className="sl-json__masked" title="Your role may not read this data's classification">
            masked for your role
          </span>
        )}
      </figcaption>
      <pre className="sl-json__body" aria-label={label} tabIndex={0}>
        {text}
      </pre>
    </figure>
  );
}
