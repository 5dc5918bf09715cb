const Screen = () => <div />;
export default Screen;
