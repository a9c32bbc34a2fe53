// The sign-in and first-account pages: Spanish, one small stylesheet of our own, no script, no asset from
// another site, readable on a phone. Everything interpolated is escaped.

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escape(title)} · Asistente de WhatsApp</title>
<link rel="stylesheet" href="/admin/login.css">
</head>
<body>
<main class="card">
${body}
</main>
</body>
</html>
`;
}

const alert = (message?: string) => (message ? `<p class="alert" role="alert">${escape(message)}</p>\n` : '');

export function loginPage(o: { next: string; name?: string; message?: string; noAccounts?: boolean }): string {
  const noAccounts = o.noAccounts
    ? `<p class="hint">Aún no hay cuentas. Crea la primera con el enlace de configuración que el servicio imprimió al arrancar, o en la terminal: <code>npm run operator -- add TU-NOMBRE --owner</code>.</p>\n`
    : '';
  return page('Iniciar sesión', `<h1>Iniciar sesión</h1>
${alert(o.message)}${noAccounts}<form method="post" action="/admin/login">
<input type="hidden" name="next" value="${escape(o.next)}">
<label for="name">Nombre</label>
<input id="name" name="name" autocomplete="username" required maxlength="40" value="${escape(o.name ?? '')}"${o.name ? '' : ' autofocus'}>
<label for="password">Contraseña</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200"${o.name ? ' autofocus' : ''}>
<button type="submit">Entrar</button>
</form>
<p class="hint">¿Sin cuenta? Pídela a quien administra el asistente.</p>`);
}

export function setupPage(o: { token?: string; name?: string; message?: string; minLength: number }): string {
  // the token from the printed link rides in a hidden field; without one the page asks for it (or ADMIN_TOKEN)
  const credential = o.token
    ? `<input type="hidden" name="token" value="${escape(o.token)}">\n`
    : `<label for="token">Código de configuración (del enlace impreso al arrancar) o ADMIN_TOKEN</label>
<input id="token" name="token" type="password" autocomplete="off" required>\n`;
  return page('Crear la primera cuenta', `<h1>Crear la primera cuenta</h1>
<p class="hint">Esta cuenta será la dueña: podrá crear las cuentas de las demás personas del equipo.</p>
${alert(o.message)}<form method="post" action="/admin/setup">
${credential}<label for="name">Tu nombre</label>
<input id="name" name="name" autocomplete="username" required maxlength="40" value="${escape(o.name ?? '')}">
<label for="password">Contraseña (al menos ${o.minLength} caracteres)</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${o.minLength}" maxlength="200">
<label for="confirm">Repite la contraseña</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength="${o.minLength}" maxlength="200">
<button type="submit">Crear cuenta y entrar</button>
</form>`);
}

export function setupClosedPage(): string {
  return page('Configuración hecha', `<h1>Ya hay cuentas</h1>
<p>La primera cuenta ya se creó. <a href="/admin/login">Inicia sesión</a>.</p>`);
}
