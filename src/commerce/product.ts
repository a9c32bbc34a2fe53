// A product as the shop shows it, and the SQL that reads one: shared by listings, look-ups and search so
// that every caller gets the same shape.

export interface Product {
  sku: string;
  name: string;
  description: string | null;
  category: string | null;
  categorySlug: string | null;
  /** Pesos (or the shop's currency), to the cent. */
  price: number;
  /** The lower price while on offer; null when there is no offer. */
  offerPrice: number | null;
  stock: number;
  featured: boolean;
  /** The shop's switch; a product is on sale when this is true and stock is above zero. */
  isAvailable: boolean;
  popularity: number;
  imageUrl: string | null;
}

/** Columns of a Product, for `FROM products p LEFT JOIN categories c ON c.id = p.category_id`. */
// numeric(12,2) is read as float8: exact for every price below ten billion, and JSON-friendly.
export const PRODUCT_COLUMNS = `p.sku, p.name, p.description, c.name AS category, c.slug AS "categorySlug",
  p.price::float8 AS price, p.offer_price::float8 AS "offerPrice", p.stock, p.featured,
  p.is_available AS "isAvailable", p.popularity_score::float8 AS popularity, p.image_url AS "imageUrl"`;

/** The rows a customer may buy now. */
export const ON_SALE = 'p.is_available AND p.stock > 0';
