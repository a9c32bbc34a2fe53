import { searchCatalogue } from '../commerce/search-catalogue.ts';
import type { Queryable } from '../db/client.ts';
import { asksAboutTheBusiness } from './keywords/classify.ts';

// Words the keyword rules read as nothing in particular, but the catalogue makes sense of: "y
// mancuernas?", "algo para la lluvia", "la correa retráctil". The shop answers them with a search, and
// the business's facts leave them alone. A question about the business ("¿a qué hora abren?") never is one.

/**
 * The words as a product search when the catalogue has something for them, else undefined. A question
 * must name products itself (`namesProducts`): "¿el champú de avena sirve pa gatos?" does, "¿a qué hora se
 * puede llegar?" only shares loose words with some.
 */
export async function catalogueTakes(db: Queryable, words: string, opts: { namesProducts?: boolean } = {}): Promise<string | undefined> {
  if (asksAboutTheBusiness(words)) return undefined;
  const bare = words.replace(/[¿?¡!.,]+/g, ' ').replace(/^\s*(y|e|tambien|también|y también|y tambien|entonces)\s+/i, '').trim();
  if (bare.length < 3) return undefined;
  const found = await searchCatalogue(db, bare, { limit: 1 });
  if (opts.namesProducts && !found.productWords.length) return undefined;
  // products serving a need it knows, products it names with a size or colour asked of them, or, for a
  // short message, products it names
  return found.hits.length && (found.need?.served || found.missing.length || bare.split(/\s+/).length <= 5) ? bare : undefined;
}
