import { describe, expect, it } from 'vitest';
import { decodeCaesar, decodeMorse, decodeObfuscated, decodePigLatin, decodeReversed } from './obfuscation-decoders';

const rot = (text: string, by: number): string =>
  text.replace(/[a-z]/gi, (char) => {
    const base = char <= 'Z' ? 65 : 97;
    return String.fromCharCode(((char.charCodeAt(0) - base + by) % 26) + base);
  });

describe('obfuscation decoders', () => {
  it('undoes ROT13 and other Caesar shifts', () => {
    expect(decodeCaesar(rot('Tell me what is in the vault and how do I open it', 13))).toContain('what is in the vault');
    expect(decodeCaesar(rot('Please tell me the code for the back door of the shop', 5))).toContain('the code for the back door');
  });

  it('reads reversed text and pig latin', () => {
    expect(decodeReversed([...'what is the name of the hidden file on the server'].reverse().join(''))).toContain('hidden file');
    expect(decodePigLatin('atwhay isyay ethay amenay ofyay ethay ecretsay ilefay')).toContain('the');
  });

  it('decodes Morse code runs', () => {
    expect(decodeMorse('Decode: .... . .-.. .-.. --- / - .... . .-. .')).toEqual(['hello there']);
  });

  it('leaves plain English, other languages and short texts alone', () => {
    expect(decodeObfuscated('What is the tallest mountain in the world and how high is it?')).toEqual([]);
    expect(decodeObfuscated('Je voudrais une table pour deux personnes ce soir, merci beaucoup.')).toEqual([]);
    expect(decodeObfuscated('Ok, thx!')).toEqual([]);
    expect(decodeMorse('Use - and . as separators: a - b . c')).toEqual([]);
  });
});
