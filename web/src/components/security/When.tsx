/** A time shown both ways: relative ("5 minutes ago") and the local date and time; a time to come, as the local date and time. */
import { localTime, relativeTime } from './format.ts';

export function When({ iso }: { iso: string }) {
  const relative = relativeTime(iso);
  const local = localTime(iso);
  return (
    <time dateTime={iso}>
      {relative ? `${relative} · ` : ''}
      {local}
    </time>
  );
}

/** A time still to come (a lockout's or a hold's end): the local date and time. */
export function Later({ iso }: { iso: string }) {
  return <time dateTime={iso}>{localTime(iso)}</time>;
}
