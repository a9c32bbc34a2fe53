import type { ProductInput } from '../../src/commerce/products.ts';

// A pet shop written for the search tests, in Mexican words (pechera, croquetas, hule), that no lexicon or
// reply was fitted to: most of it is for dogs or cats, its harness and leash never say "perro", its feather
// wand is sold out, and its beds are filed under "Descanso" with blankets and cushions of other colours.
export const PET_SHOP: ProductInput[] = [
  { sku: 'H-CORREA', name: 'Correa de nylon 1,5 m', description: 'Mosquetón de acero. Color rojo.', category: 'Paseo', price: 180, stock: 12, popularity: 30 },
  { sku: 'H-PECHERA', name: 'Pechera ajustable antijalones', description: 'No lastima el cuello. Colores negro y azul.', category: 'Paseo', price: 320, stock: 6, popularity: 25 },
  { sku: 'H-ARNES', name: 'Arnés de malla transpirable', description: 'Se abrocha en el lomo. Colores lila y verde.', category: 'Paseo', price: 290, stock: 4, popularity: 20 },
  { sku: 'H-CAMA', name: 'Cama ovalada de felpa', description: 'Lavable en lavadora. Colores beige y café.', category: 'Descanso', price: 650, stock: 3, popularity: 22 },
  { sku: 'H-COJIN', name: 'Cojín térmico para gato', description: 'Guarda el calor del cuerpo. Color gris.', category: 'Descanso', price: 240, stock: 8, popularity: 18 },
  { sku: 'H-MANTA', name: 'Manta de borrega', description: 'Suave y tibia, color azul o rosa.', category: 'Descanso', price: 150, stock: 15, popularity: 16 },
  { sku: 'H-IMPER', name: 'Impermeable con capucha para perro', description: 'Para la lluvia, color amarillo.', category: 'Ropa', price: 280, stock: 5, popularity: 14 },
  { sku: 'H-SUETER', name: 'Suéter tejido para perro', description: 'Tejido de acrílico.', category: 'Ropa', price: 260, stock: 7, popularity: 12 },
  { sku: 'H-TUNEL', name: 'Túnel plegable para gato', description: 'Con sonaja para jugar.', category: 'Juguetes', price: 210, stock: 9, popularity: 15 },
  { sku: 'H-PLUMA', name: 'Pluma con cascabel para gato', description: 'Varita de 40 cm.', category: 'Juguetes', price: 90, stock: 0, popularity: 40 },
  { sku: 'H-RATON', name: 'Ratón de peluche con hierba gatera', description: 'Para gatos juguetones.', category: 'Juguetes', price: 70, stock: 20, popularity: 11 },
  { sku: 'H-PELOTA', name: 'Pelota de hule para perro', description: 'Rebota y flota.', category: 'Juguetes', price: 95, stock: 25, popularity: 35 },
  { sku: 'H-CROQ-P', name: 'Croquetas para perro adulto 8 kg', description: 'Con pollo y arroz.', category: 'Alimento', price: 720, stock: 10, popularity: 60, featured: true },
  { sku: 'H-CROQ-G', name: 'Croquetas para gato esterilizado 3 kg', description: 'Control de peso.', category: 'Alimento', price: 430, stock: 10, popularity: 45 },
  { sku: 'H-ARENA', name: 'Arena para gato 10 kg', description: 'Aglutinante, sin olor.', category: 'Higiene', price: 260, stock: 14, popularity: 38 },
  { sku: 'H-SHAMPOO', name: 'Shampoo para perro de avena', description: 'Piel sensible.', category: 'Higiene', price: 160, stock: 9, popularity: 21 },
  { sku: 'H-CEPILLO', name: 'Cepillo de cerdas para perro y gato', description: 'Quita el pelo muerto.', category: 'Higiene', price: 120, stock: 11, popularity: 17 },
  { sku: 'H-PLATO', name: 'Plato doble para perro', description: 'Acero inoxidable, antiderrapante.', category: 'Accesorios', price: 200, stock: 13, popularity: 13 },
  { sku: 'H-BEBEDERO', name: 'Bebedero automático 2 litros', description: 'Agua fresca todo el día.', category: 'Accesorios', price: 390, stock: 6, popularity: 19 },
];
