// npm run seed:listings
// Loads the rental host's demo apartments (Medellín, Cartagena, Santa Marta) so a newcomer can ask the
// assistant "¿tienen algo del 15 al 18 de diciembre para 4?" and get real answers. Safe to run again:
// listings are upserted by slug, and a booking whose nights are already taken is skipped. A few nights
// are booked relative to today (next weekend, next week), so some questions meet a full calendar.
import { addDays, nextWeekday, today } from '../src/bookings/calendar.ts';
import { bookStay } from '../src/bookings/listing-bookings.ts';
import { type ListingInput, upsertListing } from '../src/bookings/listings.ts';
import { runCommand } from './cli.ts';
import { readCommandLine } from './command-line.ts';

readCommandLine('npm run seed:listings', {});

const RULES = {
  quiet: 'No se permiten fiestas ni ruido después de las 10 p. m. No se fuma dentro del apartamento. Check-in desde las 3 p. m., check-out hasta las 11 a. m.',
  pets: 'Se aceptan mascotas pequeñas con aviso previo. No se permiten fiestas. Check-in desde las 3 p. m., check-out hasta las 11 a. m.',
  beach: 'Prohibido entrar con arena al apartamento: usa la ducha de la entrada. Máximo de huéspedes según la reserva. Check-in 3 p. m., check-out 11 a. m.',
};

// What guests ask before booking (migration 010), answered by the assistant without AI.
const TIMES = { checkInFrom: '15:00', checkOutUntil: '11:00' };
const QUIET = { ...TIMES, petsAllowed: false, partiesAllowed: false, smokingAllowed: false };
const PETS = { ...TIMES, petsAllowed: true, partiesAllowed: false, smokingAllowed: false };
const BEACH = { ...TIMES, petsAllowed: false, partiesAllowed: false };

const LISTINGS: ListingInput[] = [
  { slug: 'poblado-loft-provenza', name: 'Loft Provenza', city: 'Medellín', zone: 'El Poblado', capacity: 2, pricePerNight: 220_000, cleaningFee: 60_000, minNights: 1, rules: RULES.quiet, ...QUIET, amenities: ['wifi', 'aire acondicionado', 'cocina equipada'] },
  { slug: 'poblado-apto-vista-verde', name: 'Apto Vista Verde', city: 'Medellín', zone: 'El Poblado', capacity: 4, pricePerNight: 320_000, cleaningFee: 80_000, minNights: 2, rules: RULES.quiet, ...QUIET, amenities: ['wifi', 'parqueadero', 'piscina', 'balcón con vista'] },
  { slug: 'laureles-casa-familiar', name: 'Casa Familiar Laureles', city: 'Medellín', zone: 'Laureles', capacity: 6, pricePerNight: 380_000, cleaningFee: 100_000, minNights: 2, rules: RULES.pets, ...PETS, amenities: ['wifi', 'parqueadero para 2 carros', 'patio', 'lavadora'] },
  { slug: 'bocagrande-frente-al-mar', name: 'Frente al Mar 1204', city: 'Cartagena', zone: 'Bocagrande', capacity: 5, pricePerNight: 450_000, cleaningFee: 120_000, minNights: 2, rules: RULES.beach, ...BEACH, amenities: ['wifi', 'aire acondicionado', 'piscina', 'vista al mar', 'parqueadero'] },
  { slug: 'getsemani-casa-colonial', name: 'Casa Colonial Getsemaní', city: 'Cartagena', zone: 'Getsemaní', capacity: 8, pricePerNight: 890_000, cleaningFee: 200_000, minNights: 3, rules: RULES.quiet, ...QUIET, amenities: ['wifi', 'aire acondicionado', 'piscina', 'terraza'] },
  { slug: 'rodadero-apto-playa', name: 'Apto Playa Rodadero', city: 'Santa Marta', zone: 'El Rodadero', capacity: 6, pricePerNight: 280_000, cleaningFee: 90_000, minNights: 2, rules: RULES.beach, ...BEACH, amenities: ['wifi', 'aire acondicionado', 'parqueadero', 'a una cuadra de la playa'] },
  { slug: 'taganga-cabana-bahia', name: 'Cabaña Bahía Taganga', city: 'Santa Marta', zone: 'Taganga', capacity: 3, pricePerNight: 190_000, cleaningFee: 50_000, minNights: 1, rules: RULES.pets, ...PETS, amenities: ['wifi', 'hamacas', 'vista a la bahía'] },
];

await runCommand(async ({ sql }) => {
  const ids = new Map<string, number>();
  for (const l of LISTINGS) ids.set(l.slug, await upsertListing(sql, l));

  const now = today(new Date());
  const friday = nextWeekday(addDays(now, 1), 5);
  const booked = [
    { slug: 'poblado-apto-vista-verde', checkIn: friday, checkOut: addDays(friday, 2), ...QUIET, amenities: ['wifi', 'parqueadero', 'piscina', 'balcón con vista'] },
    { slug: 'bocagrande-frente-al-mar', checkIn: addDays(now, 3), checkOut: addDays(now, 10), ...BEACH, amenities: ['wifi', 'aire acondicionado', 'piscina', 'vista al mar', 'parqueadero'] },
    { slug: 'rodadero-apto-playa', checkIn: addDays(friday, 7), checkOut: addDays(friday, 10), ...BEACH, amenities: ['wifi', 'aire acondicionado', 'parqueadero', 'a una cuadra de la playa'] },
  ];
  let added = 0;
  for (const b of booked) {
    const result = await bookStay(sql, { listingId: ids.get(b.slug)!, checkIn: b.checkIn, checkOut: b.checkOut, status: 'confirmed' });
    if (result.booked) added++;
  }
  console.log(`demo listings: ${LISTINGS.length} upserted; ${added} booked stays added (${booked.length - added} already taken)`);
  for (const l of LISTINGS) console.log(`  ${l.name} (${l.zone}, ${l.city}): hasta ${l.capacity} personas, $${l.pricePerNight.toLocaleString('es-CO')}/noche`);
  for (const b of booked) console.log(`  booked: ${b.slug} ${b.checkIn} → ${b.checkOut}`);
});
