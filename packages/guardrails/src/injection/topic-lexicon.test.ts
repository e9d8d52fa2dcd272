import { describe, expect, it } from 'vitest';
import { TOPIC_CONCEPTS, topicsIn } from './topic-lexicon';

const ids = (text: string): string[] => topicsIn(text.toLowerCase()).filter((hit) => hit.strong > 0 || hit.weak >= 2).map((hit) => hit.id);

describe('topic lexicon', () => {
  it('names the same subject in several languages and in other words', () => {
    expect(ids('How do convolutional neural networks learn?')).toContain('ai');
    expect(ids('¿Qué es el aprendizaje automático?')).toContain('ai');
    expect(ids('機械学習について教えて')).toContain('ai');
    expect(ids('Wie funktioniert die Verschlüsselung von Nachrichten?')).toContain('cryptography');
    expect(ids('Quelle est la meilleure recette de crêpes ?')).toContain('recipes');
    expect(ids('Кто написал эту музыку?')).toContain('music');
    expect(ids('Explain the double-slit experiment and wave-particle duality')).toContain('quantum');
  });

  it('keeps parents so a rule on a broad subject covers its parts', () => {
    const quantum = topicsIn('what is quantum entanglement? ').find((hit) => hit.id === 'quantum');
    expect(quantum?.ancestors).toEqual(['physics', 'science']);
  });

  it('matches words, not fragments of other words', () => {
    expect(ids('I aim to fix the air filter and aid my neighbour')).not.toContain('ai');
    expect(ids('The operation was dishonest and the reception was cold')).toEqual([]);
    expect(ids('One hint alone: the team met today')).toEqual([]);
  });

  it('has unique ids and known parents', () => {
    const known = new Set(TOPIC_CONCEPTS.map((concept) => concept.id));
    expect(known.size).toBe(TOPIC_CONCEPTS.length);
    for (const concept of TOPIC_CONCEPTS) if (concept.parent) expect(known.has(concept.parent)).toBe(true);
  });
});
