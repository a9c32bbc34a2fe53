// The needs and uses customers search by ("algo para el frío", "para hacer ejercicio") and the words of
// the products that serve each, as Latin American shops write them. General Spanish, no shop's catalogue:
// a word no product holds simply matches nothing. A shop adds its own in the search_concepts table
// (migration 011, search-concepts.ts). Pure data.
// Words are matched by their Spanish stem, so a word whose stem another common word shares is left out or
// put in a phrase: "polar" stems like "polo", "cama" like "cámara", "pesas" like "peso", "costa" like "costo",
// "colores" like "color"; "correa" is also a belt, "portátil" also a blender, "detalle" is in half the
// descriptions ("con detalles bordados").

export interface SearchConcept {
  /** How a reply names the need, after "para": "el frío", "hacer ejercicio". Also its key. */
  need: string;
  /** Words a customer names it with, accents folded, every form they write ("frio", "frios", "invierno"). */
  cues: readonly string[];
  /**
   * What serves it, as product names, categories and descriptions say it; a phrase means all its words
   * ("botas de caucho": boots of rubber, not any boots). Spelt with accents or without: PostgreSQL stems both.
   */
  products: readonly string[];
  /** When nothing serves it, the shop's most popular products are a fair suggestion (a gift can be anything). */
  orPopular?: boolean;
}

export const SEARCH_CONCEPTS: readonly SearchConcept[] = [
  {
    need: 'el frío',
    cues: ['frio', 'frios', 'fria', 'frias', 'friito', 'friolento', 'friolenta', 'invierno', 'abrigarse', 'abrigarme', 'abrigar', 'abrigadito', 'helada', 'heladas', 'nieve'],
    products: ['abrigo', 'chaqueta', 'chamarra', 'chompa', 'ruana', 'poncho', 'buzo', 'hoodie', 'saco', 'suéter', 'sweater', 'jersey', 'cárdigan', 'térmico', 'térmica',
      'lana', 'bufanda', 'guantes de lana', 'guantes térmicos', 'gorro de lana', 'cobija', 'manta', 'chal', 'pasamontañas', 'calentador', 'invierno'],
  },
  {
    need: 'la lluvia',
    cues: ['lluvia', 'lluvias', 'llover', 'llueve', 'lloviendo', 'llovizna', 'aguacero', 'aguaceros', 'mojarse', 'mojarme', 'mojar'],
    products: ['impermeable', 'paraguas', 'sombrilla', 'capa de lluvia', 'poncho impermeable', 'botas de caucho', 'botas de lluvia', 'chubasquero', 'lluvia'],
  },
  {
    need: 'hacer ejercicio',
    cues: ['ejercicio', 'ejercicios', 'ejercitarse', 'ejercitarme', 'gimnasio', 'gimnasios', 'gym', 'gimnasia', 'entrenar', 'entreno', 'entrenamiento', 'deporte', 'deportes', 'fitness', 'crossfit', 'pesas'],
    products: ['deportivo', 'deportiva', 'deporte', 'deportes', 'mancuernas', 'colchoneta', 'yoga', 'pilates', 'bicicleta', 'balón', 'pelota', 'termo', 'licra', 'leggins',
      'top deportivo', 'banda elástica', 'cuerda para saltar', 'pulsómetro', 'boxeo', 'gimnasio', 'ejercicio', 'entrenamiento', 'fitness', 'running'],
  },
  {
    need: 'correr',
    cues: ['correr', 'corro', 'corriendo', 'trotar', 'troto', 'trote', 'running', 'runner', 'maraton', 'maratones', 'atletismo'],
    products: ['correr', 'running', 'trotar', 'tenis deportivos', 'zapatillas deportivas', 'tenis para correr', 'pulsómetro', 'reloj inteligente', 'smartwatch', 'licra', 'maratón', 'atletismo'],
  },
  {
    need: 'regalar',
    cues: ['regalo', 'regalos', 'regalar', 'regalarle', 'regalarles', 'regalito', 'obsequio', 'obsequiar', 'detalle', 'detallito', 'cumpleanos', 'aniversario', 'navidad', 'sorpresa'],
    products: ['regalo', 'obsequio', 'ancheta', 'peluche', 'perfume', 'chocolates', 'caja de regalo', 'tarjeta de regalo', 'joya', 'collar', 'pulsera', 'aretes', 'billetera', 'kit de regalo'],
    orPopular: true,
  },
  {
    // "cocina" itself is left out of the products: shops file towels and sheets under "Hogar y cocina"
    need: 'la cocina',
    cues: ['cocina', 'cocinas', 'cocinar', 'cocino', 'chef', 'reposteria', 'hornear'],
    products: ['olla', 'sartén', 'licuadora', 'cuchillo', 'cafetera', 'greca', 'freidora', 'arrocera', 'vajilla', 'utensilios de cocina', 'tabla de picar', 'batidora',
      'horno', 'tostadora', 'delantal', 'molde', 'espátula', 'cucharón', 'colador', 'exprimidor', 'rallador'],
  },
  {
    need: 'la playa',
    cues: ['playa', 'playas', 'mar', 'piscina', 'costa', 'vacaciones', 'veraneo', 'verano'],
    products: ['playa', 'playero', 'playera', 'chanclas', 'sandalias', 'vestido de baño', 'traje de baño', 'bikini', 'pantaloneta', 'bermuda', 'gafas de sol', 'bloqueador',
      'protector solar', 'sombrero', 'piscina', 'toalla de playa'],
  },
  {
    need: 'el calor',
    cues: ['calor', 'caluroso', 'calurosa', 'calido', 'calida', 'bochorno'],
    products: ['fresco', 'fresca', 'lino', 'ventilador', 'manga corta', 'pantaloneta', 'bermuda', 'sandalias', 'chanclas', 'sombrero', 'clima cálido', 'calor'],
  },
  {
    need: 'dormir',
    cues: ['dormir', 'duermo', 'dormirse', 'descansar', 'descanso', 'sueno', 'insomnio'],
    // "descanso" is how shops file beds ("Camas y descanso"); "cama" alone stems like "cámara", so only with whom it is for
    products: ['pijama', 'sábanas', 'almohada', 'cobija', 'colchón', 'edredón', 'antifaz', 'cobertor', 'funda de almohada', 'ropa de cama', 'dormir', 'descanso',
      'cama para perro', 'cama para gato', 'cama para mascota'],
  },
  {
    need: 'el bebé',
    cues: ['bebe', 'bebes', 'bebito', 'bebita', 'recien', 'nacido', 'nacida', 'neonato', 'lactante'],
    products: ['bebé', 'bebés', 'pañal', 'pañales', 'biberón', 'tetero', 'chupo', 'chupete', 'cuna', 'coche para bebé', 'babero', 'mameluco', 'pañalera', 'recién nacido', 'sonajero', 'mordedor'],
  },
  {
    need: 'los niños',
    cues: ['nino', 'nina', 'ninos', 'ninas', 'infantil', 'infantiles', 'chiquitos', 'chiquitas', 'hijo', 'hija', 'hijos', 'hijas', 'sobrino', 'sobrina', 'kids'],
    products: ['infantil', 'niño', 'niña', 'niños', 'niñas', 'juguete', 'juguetes', 'muñeca', 'peluche', 'rompecabezas', 'lego', 'pelota', 'carro de juguete', 'kids'],
  },
  {
    need: 'el colegio',
    cues: ['colegio', 'escuela', 'escolar', 'escolares', 'estudiar', 'estudiante', 'universidad', 'clases', 'utiles'],
    products: ['cuaderno', 'morral', 'mochila', 'cartuchera', 'lápiz', 'lápices', 'lápices de colores', 'marcadores', 'agenda', 'calculadora', 'escolar', 'regla', 'borrador', 'tajalápiz', 'útiles'],
  },
  {
    need: 'el trabajo',
    cues: ['oficina', 'trabajo', 'trabajar', 'teletrabajo', 'escritorio', 'home office'],
    products: ['computador', 'laptop', 'mouse', 'teclado', 'escritorio', 'silla ergonómica', 'agenda', 'impresora', 'monitor', 'oficina', 'trabajo', 'audífonos con micrófono'],
  },
  {
    need: 'viajar',
    cues: ['viaje', 'viajes', 'viajar', 'viajero', 'paseo', 'paseos'],
    products: ['maleta', 'morral', 'mochila', 'almohada de viaje', 'neceser', 'candado', 'pasaporte', 'viaje', 'organizador', 'batería portátil', 'termo'],
  },
  {
    need: 'el cabello',
    cues: ['cabello', 'pelo', 'peinarse', 'peinado', 'caspa', 'rizos', 'crespos'],
    products: ['champú', 'shampoo', 'acondicionador', 'secador de pelo', 'plancha para el cabello', 'cepillo para el cabello', 'peine', 'crema para peinar', 'tinte', 'cabello', 'pelo'],
  },
  {
    need: 'la piel',
    cues: ['piel', 'rostro', 'cutis', 'acne', 'manchas', 'arrugas'],
    products: ['crema hidratante', 'hidratante', 'protector solar', 'bloqueador', 'facial', 'piel', 'jabón', 'sérum', 'limpiador facial', 'exfoliante'],
  },
  {
    need: 'la mascota',
    cues: ['mascota', 'mascotas', 'perro', 'perros', 'perrito', 'perrita', 'gato', 'gatos', 'gatito', 'gatita', 'cachorro'],
    products: ['mascota', 'mascotas', 'perro', 'perros', 'gato', 'gatos', 'concentrado', 'comedero', 'correa para perro', 'collar para perro', 'arena para gato', 'rascador', 'pet'],
  },
  {
    need: 'una fiesta',
    cues: ['fiesta', 'fiestas', 'matrimonio', 'boda', 'grado', 'graduacion', 'evento', 'rumba', 'gala', 'elegante', 'quinceanero', 'coctel'],
    products: ['vestido de fiesta', 'elegante', 'gala', 'tacón', 'tacones', 'corbata', 'traje formal', 'traje de gala', 'blazer', 'formal', 'formales', 'fiesta', 'perfume'],
  },
  {
    need: 'limpiar',
    cues: ['limpiar', 'limpieza', 'aseo', 'asear', 'trapear', 'barrer', 'desinfectar'],
    products: ['escoba', 'trapero', 'detergente', 'jabón', 'limpiador', 'desinfectante', 'balde', 'aspiradora', 'limpieza', 'aseo', 'cloro', 'guantes de aseo'],
  },
  {
    need: 'la música',
    cues: ['musica', 'escuchar', 'sonido', 'cancion', 'canciones'],
    products: ['audífonos', 'parlante', 'bafle', 'altavoz', 'sonido', 'música', 'micrófono'],
  },
  {
    need: 'la montaña',
    cues: ['montana', 'caminata', 'caminatas', 'senderismo', 'camping', 'acampar', 'excursion', 'trekking', 'finca'],
    products: ['botas de montaña', 'montaña', 'caminata', 'carpa', 'linterna', 'saco de dormir', 'morral', 'termo', 'impermeable', 'bastón', 'senderismo', 'camping'],
  },
];
