import { foldAccents } from '../../lib/text.ts';

// A delivery address needs its city: "Calle 10 # 43-20" exists in every city of the country, and a
// courier cannot guess. The checkout accepts an address that names a known city, or one written in
// three or more comma-separated parts (street, neighbourhood, town: the town may be one not listed here);
// otherwise it asks for the city and appends the answer, so no town is ever refused.

// Colombia's department capitals and larger municipalities, and the main cities of the region's other
// markets, folded (lower case, no accents). A place missing here only costs one extra question.
const CITIES = [
  'bogota', 'medellin', 'cali', 'barranquilla', 'cartagena', 'cucuta', 'bucaramanga', 'pereira', 'santa marta', 'ibague',
  'pasto', 'manizales', 'neiva', 'villavicencio', 'armenia', 'valledupar', 'monteria', 'sincelejo', 'popayan', 'tunja',
  'riohacha', 'quibdo', 'florencia', 'yopal', 'mocoa', 'leticia', 'arauca', 'san andres', 'inirida', 'mitu',
  'puerto carreno', 'san jose del guaviare', 'soacha', 'bello', 'itagui', 'envigado', 'sabaneta', 'la estrella',
  'rionegro', 'soledad', 'palmira', 'buenaventura', 'tulua', 'cartago', 'buga', 'jamundi', 'yumbo', 'floridablanca',
  'giron', 'piedecuesta', 'barrancabermeja', 'dosquebradas', 'zipaquira', 'chia', 'facatativa', 'fusagasuga',
  'girardot', 'mosquera', 'madrid', 'funza', 'cajica', 'sogamoso', 'duitama', 'apartado', 'turbo', 'caucasia',
  'magangue', 'cienaga', 'malambo', 'maicao', 'ipiales', 'tumaco', 'lorica', 'cerete', 'ocana', 'pamplona',
  'villa del rosario', 'los patios', 'la dorada', 'chinchina', 'calarca', 'espinal', 'pitalito', 'garzon',
  'granada', 'acacias', 'aguachica', 'el carmen de bolivar', 'turbaco', 'sahagun', 'copacabana', 'caldas', 'marinilla',
  'guarne', 'la ceja', 'santa rosa de cabal', 'la tebaida', 'montenegro', 'quimbaya', 'circasia', 'taganga',
  // elsewhere in Latin America
  'ciudad de mexico', 'cdmx', 'guadalajara', 'monterrey', 'puebla', 'tijuana', 'queretaro', 'merida', 'cancun',
  'lima', 'arequipa', 'trujillo', 'cusco', 'quito', 'guayaquil', 'cuenca', 'santiago', 'valparaiso', 'concepcion',
  'buenos aires', 'cordoba', 'rosario', 'mendoza', 'caracas', 'maracaibo', 'valencia', 'panama', 'san jose',
  'guatemala', 'san salvador', 'tegucigalpa', 'managua', 'santo domingo', 'montevideo', 'asuncion', 'la paz',
  'santa cruz', 'cochabamba',
];

const fold = (t: string) => ` ${foldAccents(t).replace(/[^\p{L}\p{N} ]/gu, ' ').replace(/\s+/g, ' ').trim()} `;

/** The city an address names, or undefined when it names none we can tell. */
export function cityIn(address: string): string | undefined {
  const words = fold(address);
  const known = CITIES.find((c) => words.includes(` ${c} `));
  if (known) return known;
  // "Cra 5 # 3-20, barrio Centro, Sopetrán": the last of three or more parts is the town
  const parts = address.split(',').map((p) => p.trim()).filter(Boolean);
  const last = parts[parts.length - 1];
  return parts.length >= 3 && last && /^[\p{L} .'-]{3,}$/u.test(last) ? last : undefined;
}
