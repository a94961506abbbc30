// The chat's one connection, shared by every tab of this browser that picked the same transport
// (the worker's name): a browser keeps at most six HTTP/1.1 connections per host, so a connection
// per tab would stall the seventh tab. Tabs talk to it over MessagePorts.
'use strict';
importScripts('/demo/pubsub.js');

const ports = new Set();
const history = [];                 // the messages seen, oldest first, for a tab that joins later
const notices = [];                 // what resumes lost, in order
let state = 'connecting';
let subscriber = null;

function broadcast(event) {
  if (event.type === 'state') state = event.state;
  if (event.type === 'message') {
    history.push(event);
    if (history.length > 300) history.shift();
  }
  if (event.type === 'resume') notices.push(event);
  for (const port of ports) port.postMessage(event);
}

function tabs() {
  for (const port of ports) port.postMessage({type: 'tabs', count: ports.size});
}

self.onconnect = e => {
  const port = e.ports[0];
  ports.add(port);
  port.onmessage = m => {
    if (m.data.type === 'hello') {
      // The first tab decides where the connection starts: after the last message it showed.
      if (!subscriber) {
        subscriber = new ChannelSubscriber(m.data.path, self.name, m.data.lastId, broadcast);
        subscriber.start();
      }
      port.postMessage({type: 'history', messages: history, notices, state});
      tabs();
    } else if (m.data.type === 'bye') {
      ports.delete(port);
      tabs();
    }
  };
  port.start();
};
