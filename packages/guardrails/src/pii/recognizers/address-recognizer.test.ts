import { describe, expect, it } from 'vitest';
import { createPiiDetector } from '../pii-detector';
import { PII_ENTITY_TYPES } from '../pii-entity';
import { recognizeAddresses } from './address-recognizer';

const addresses = (text: string): string[] => {
  const out: { start: number; end: number }[] = [];
  recognizeAddresses(text, out as never);
  return out.map((match) => text.slice(match.start, match.end));
};

describe('street addresses', () => {
  it.each([
    ['I live at 90 Whitchurch Road now.', '90 Whitchurch Road'],
    ['Send it to 3600 West 5th Ave., Suite 200, Springfield, IL 62704 please', '3600 West 5th Ave., Suite 200, Springfield, IL 62704'],
    ['The office is at 908 W. Madison, Chicago, IL 60607.', '908 W. Madison, Chicago, IL 60607'],
    ['Write to P.O. Box 1234 for the forms.', 'P.O. Box 1234'],
    ['Meine Adresse: Friedhofstrasse 33 in Wien.', 'Friedhofstrasse 33'],
    ['Bitte an Hauptstr. 5, 10115 Berlin schicken.', 'Hauptstr. 5, 10115 Berlin'],
    ['Please ship it to 12 rue de la Paix, 75002 Paris\nthanks', '12 rue de la Paix, 75002 Paris'],
    ['Recapiti: Via Garibaldi 7, 00184 Roma', 'Via Garibaldi 7, 00184 Roma'],
    // A comma between the number and the street, as French, Spanish and Portuguese write it.
    ['Chez nous: 12, rue de la Paix, 75002 Paris', '12, rue de la Paix, 75002 Paris'],
    ['Vivo en Calle Mayor, 5, 28013 Madrid.', 'Calle Mayor, 5, 28013 Madrid'],
    // A numbered route and a post-direction after the street type.
    ['Drop it at 6500 Highway 179, Sedona, AZ 86351 tomorrow.', '6500 Highway 179, Sedona, AZ 86351'],
    ['We met at 500 Marquette Avenue NW yesterday.', '500 Marquette Avenue NW'],
    // A compass direction and a name, no street type.
    ['The shop at 55 West Cermak is closed.', '55 West Cermak'],
    // No house number: a US "City, ST ZIP" tail, and a place before it.
    ['Mail goes to Anchorage, AK 99501 by Friday.', 'Anchorage, AK 99501'],
    ['Ship to Elm, Salem, MA 01970 now.', 'Elm, Salem, MA 01970'],
    // Nothing starts more than ADDRESS_REACH characters before the ZIP that decides it (stream safety).
    ['Meet at Union Station, Washington, DC 20001 at noon.', 'Station, Washington, DC 20001'],
    ['Ship to Springfield, Illinois 62704 soon.', 'Springfield, Illinois 62704'],
    // Several lines: street, unit, city and state with ZIP+4.
    ['Address:\n742 Evergreen Terrace\nApt. 3\nSpringfield\nIL 62704-1234\nThanks', '742 Evergreen Terrace\nApt. 3\nSpringfield\nIL 62704-1234'],
    // A suite number after the street joins the City, ST ZIP found after it.
    ['Bill 101 W. Grand Ave. 600, Chicago, IL 60654 for it.', '101 W. Grand Ave. 600, Chicago, IL 60654'],
    // Written in lower case: an abbreviated type, or a full one with a ZIP after it.
    ['meet me at 430 webster st tonight', '430 webster st'],
    ['ship to 317 conniston road, fl 33458 asap', '317 conniston road, fl 33458'],
    // UK and Canadian postcodes.
    ['Our office: 10 Downing Street, London SW1A 2AA.', '10 Downing Street, London SW1A 2AA'],
    ['Postcode SW1A 1AA is the palace.', 'SW1A 1AA'],
    ['Ottawa ON K1A 0B1 is a federal postcode.', 'K1A 0B1'],
  ])('%s', (text, address) => {
    expect(addresses(text)).toEqual([address]);
  });

  it('find a secondary unit on its own line', () => {
    expect(addresses('Flat above the shop\nApt. 4B\nno lift')).toEqual(['Apt. 4B']);
  });

  it.each([
    ['I bought 3 apples and 12 oranges on the way home.'],
    ['Playboy - 10 October 2010 Slovenia: a date, not a street.'],
    ['Remembering 25 years of news.'],
    ['The iPhone 6 got LTE in 2012 via Qualcomm.'],
    ['Target 300 Pak 189/5 Overs 38.'],
    ['Call 555 123 4567 or (555) 765-4321 today.'],
    ['Thu Jan 22 03:07:43 IST 2015'],
    ['Windows 2000 and Office 365 were released.'],
    ['Colleague watching Death Row Dogs on BBC 1 tonight.'],
    ['sent it 2 via DHL, and al 3 more'],
    ['In 2019, 5 people and Mayor, 5 votes'],
    ['It is a 10 minute drive, 3 more st and a 5 mile road.'],
    ['Top 10 Android tablets of 2014 and 30 greats who died in 2012.'],
    // A full lower-case type is confirmed only by a ZIP within ADDRESS_REACH of the number.
    ['ship to 317 conniston road, west palm beach, fl 33458 asap'],
  ])('are not found in %s', (text) => {
    expect(addresses(text)).toEqual([]);
  });

  it('take precedence over names inside them and never over a pattern match', () => {
    const detector = createPiiDetector({ entities: [...PII_ENTITY_TYPES] });
    const text = 'Ship to 3600 West 5th Ave., Springfield, IL 62704 or mail a@example.com';
    const found = detector.detect(text).map((match) => [match.type, text.slice(match.start, match.end)]);
    expect(found).toEqual([
      ['STREET_ADDRESS', '3600 West 5th Ave., Springfield, IL 62704'],
      ['EMAIL_ADDRESS', 'a@example.com'],
    ]);
  });

  it('stay bounded on address-like runs (each number looks a few words around it)', () => {
    const text = '1 Main St, '.repeat(2000) + '12 A B C D E F G '.repeat(500) + 'Box 1 '.repeat(500) + 'AB12 3CD '.repeat(500);
    const found = addresses(text);
    expect(found.length).toBeGreaterThan(0);
    for (const value of found) expect(value.length).toBeLessThan(200);
  });
});
