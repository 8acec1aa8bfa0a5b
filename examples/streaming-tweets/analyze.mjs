// A stateless enricher (node A): called once per tweet with args.streamInput = {message, origin}.
export function start({ streamInput: { message: tweet } }) {
  return { id: tweet.id, words: tweet.text.split(' ').length, mentionsHkube: tweet.text.includes('hkube') };
}
