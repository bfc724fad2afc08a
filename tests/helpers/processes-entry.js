// A stand-in for the built app in tests of src/cli/processes.js: answers with its process id on
// PORT (127.0.0.1), exits with code 3 on /exit, and on SIGTERM closes its server and leaves the
// process to end by itself, as adapter-node does (nothing calls process.exit).
import http from 'node:http';

const server = http.createServer((req, res) => {
	if (req.url === '/exit') {
		res.end('bye');
		setTimeout(() => process.exit(3), 10);
		return;
	}
	res.setHeader('connection', 'close');
	res.end(String(process.pid));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
	server.closeIdleConnections();
	server.close();
});
