import { ValidateBy } from 'class-validator';

/** C0 controls and DEL, bar tab, line feed and carriage return. */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
}

/** Spaces, C1 controls and zero-width characters: nothing a person can see. */
const INVISIBLE = /[\s\u0080-\u009f\u200b-\u200d\u2060\ufeff]/u;

function isVisibleText(value: string): boolean {
  let visible = false;
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (isControl(code)) return false;
    if (code >= 0x20 && !INVISIBLE.test(char)) visible = true;
  }
  return visible;
}

/**
 * A name or an id a person will read: at least one visible character and no
 * control characters, so "   " or "\u0000" is not accepted as a name.
 */
export function IsVisibleText(): PropertyDecorator {
  return ValidateBy({
    name: 'isVisibleText',
    validator: {
      validate: (value: unknown): boolean => typeof value === 'string' && isVisibleText(value),
      defaultMessage: (args) =>
        `${args?.property ?? 'the value'} must hold a visible character and no control characters`,
    },
  });
}
