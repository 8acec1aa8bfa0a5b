// A stateless enricher (node B): called once per tweet with args.streamInput = {message, origin}.
export function start({ streamInput: { message: tweet, origin } }) {
  return { id: tweet.id, archivedFrom: origin, length: tweet.text.length };
}
