// Phrases that try to take over a model: instruction overrides, prompt extraction, role play and
// jailbreak cues, and chat-template markers. Bounded whitespace and alternations only, so each
// pattern stays linear; all are matched case-insensitively except where a cue is also a name (DAN).

/** The kinds of evidence the injection score combines. */
export type InjectionSignal =
  | 'instruction_override'
  | 'prompt_extraction'
  | 'role_play'
  | 'chat_markup'
  | 'hidden_unicode'
  | 'encoded_payload'
  | 'exfiltration_link';

/** One piece of evidence: what, how strong (0..1), and where in the string. */
export interface SignalHit {
  signal: InjectionSignal;
  weight: number;
  start: number;
  end: number;
}

interface Cue {
  signal: InjectionSignal;
  weight: number;
  pattern: RegExp;
}

const S = '\\s{1,3}';
const WEAK = '(?:any|the|my|these|those|every|of|and)';
const STRONG =
  '(?:all|your|previous|prior|above|earlier|preceding|former|original|initial|system|developer|safety|existing)';
/** Words between the verb and the noun; at least one must point back at the model's own instructions. */
const FILLER = `(?:${WEAK}${S}){0,3}${STRONG}${S}(?:(?:${WEAK}|${STRONG})${S}){0,2}`;
const RULES =
  '(?:instructions?|prompts?|rules|directions|directives|guidelines|guardrails|constraints|programming)';

const cue = (signal: InjectionSignal, weight: number, source: string, flags = 'gi'): Cue => ({
  signal,
  weight,
  pattern: new RegExp(source, flags),
});

/** The textual cues. Weights are evidence strengths; see score.ts for how they combine. */
export const CUES: readonly Cue[] = [
  cue(
    'instruction_override',
    0.85,
    `\\b(?:ignore|disregard|forget|override|bypass|skip)${S}${FILLER}${RULES}\\b`,
  ),
  cue(
    'instruction_override',
    0.85,
    `\\b(?:do${S}not|don'?t|never)${S}(?:follow|obey|listen${S}to)${S}${FILLER}${RULES}\\b`,
  ),
  cue(
    'instruction_override',
    0.8,
    `\\b(?:ignore|disregard|forget)${S}(?:all${S})?(?:of${S})?(?:the${S})?(?:above|everything${S}(?:above|before|you${S}(?:were|have${S}been)${S}told))\\b`,
  ),
  cue(
    'instruction_override',
    0.6,
    `\\b(?:new|updated|real|actual|true)${S}(?:system${S})?instructions?${S}?:`,
  ),
  cue(
    'instruction_override',
    0.7,
    `\\byour${S}(?:new${S})?(?:instructions|task|goal|objective)${S}(?:is|are)${S}now\\b`,
  ),
  cue('instruction_override', 0.6, `\\bfrom${S}now${S}on,?${S}you${S}(?:will|must|shall|are)\\b`),
  cue(
    'prompt_extraction',
    0.7,
    `\\b(?:reveal|print|repeat|output|display|leak|dump|show${S}me|tell${S}me)${S}(?:me${S})?(?:your|the)${S}(?:(?:full|entire|exact|hidden|original|initial|secret)${S})?(?:system${S}prompt|system${S}message|initial${S}prompt|hidden${S}prompt|instructions${S}above|prompt${S}above)\\b`,
  ),
  cue(
    'prompt_extraction',
    0.6,
    `\\b(?:reveal|print|repeat|leak|dump)${S}(?:all${S})?your${S}(?:instructions|prompt|rules)\\b`,
  ),
  cue(
    'role_play',
    0.7,
    `\\byou${S}are${S}(?:now${S}(?:an?${S})?(?:unrestricted|unfiltered|uncensored|jailbroken|evil|rogue|in${S}developer${S}mode)|no${S}longer${S}(?:bound|restricted|limited|an?${S}(?:AI|assistant|language${S}model)))\\b`,
  ),
  cue(
    'role_play',
    0.65,
    `\\b(?:act|behave|respond|answer)${S}as${S}(?:if${S}you${S}(?:are|were)${S})?(?:an?${S})?(?:unrestricted|unfiltered|uncensored|jailbroken|evil|rogue)\\b`,
  ),
  cue('role_play', 0.6, `\\b(?:developer|god|jailbreak|DAN)${S}mode\\b`),
  cue('role_play', 0.6, `\\b(?:do${S}anything${S}now|jailbreak(?:ing|ed)?|jailbroken)\\b`),
  cue('role_play', 0.6, '\\bDAN\\b', 'g'),
  cue(
    'role_play',
    0.6,
    `\\b(?:no|without|ignore|ignoring)${S}(?:any${S})?(?:ethical|moral|safety|content)${S}(?:guidelines|constraints|restrictions|filters|policies|rules)\\b`,
  ),
  cue('role_play', 0.45, `\\bpretend${S}(?:that${S})?(?:you${S}(?:are|were|have)|to${S}be)\\b`),
  cue('role_play', 0.35, `\\bwithout${S}(?:any${S})?(?:restrictions|filters|censorship|limitations)\\b`),
  cue(
    'chat_markup',
    0.7,
    '<\\|(?:im_start|im_end|system|user|assistant|endoftext)\\|>|\\[/?INST\\]|<</?SYS>>',
    'gi',
  ),
  cue('chat_markup', 0.4, '^[ \\t]{0,4}(?:#{1,4}[ \\t]{0,2})?(?:system|assistant)[ \\t]{0,2}:', 'gim'),
];

/** Runs every textual cue over `text`, appending hits. */
export function findCues(text: string, out: SignalHit[]): void {
  for (const { signal, weight, pattern } of CUES) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      out.push({ signal, weight, start: m.index, end: m.index + m[0].length });
    }
  }
}

/** True when any override, extraction or role-play cue is in `text` (for decoded and hidden text). */
export function hasInstructionCue(text: string): boolean {
  const hits: SignalHit[] = [];
  findCues(text, hits);
  return hits.some((h) => h.signal !== 'chat_markup' && h.weight >= 0.6);
}
